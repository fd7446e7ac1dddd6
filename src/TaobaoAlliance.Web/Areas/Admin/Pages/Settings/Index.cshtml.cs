using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Settings;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Settings;

/// <summary>
/// The platform's defaults with their current values, edited in the units an admin thinks in (days, %, ¥)
/// through <see cref="PlatformSettingsEditor"/>; a saved change applies from the next request.
/// </summary>
public sealed class IndexModel(PlatformSettingsEditor settings, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty] public Dictionary<string, string?> Values { get; set; } = [];

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<SettingView> Settings { get; private set; } = [];

    /// <summary>The form field of a setting (and the key of its errors).</summary>
    public static string InputName(SettingField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return $"Values[{field.Property}]";
    }

    public async Task OnGetAsync(CancellationToken ct) => Settings = await settings.ReadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear(); // the dictionary is checked by the editor, field by field, in the admin's units
        var outcome = await settings.SaveAsync(new SettingsChange(Values, me.UserId), ct);
        if (!outcome.Succeeded)
        {
            foreach (var problem in outcome.Problems)
            {
                ModelState.AddModelError(problem.Field is { } field ? InputName(field) : "", SettingsMessages.Refused(problem, localizer));
            }
            Settings = await settings.ReadAsync(ct);
            return Page();
        }
        Message = outcome.Changed == 0 ? localizer["Nothing changed."]
            : outcome.AppliesNow ? localizer["Settings saved. They apply from the next request."]
            : localizer["Settings saved. They apply once the app restarts."];
        return RedirectToPage();
    }

    /// <summary>Removes an override: the setting goes back to its configured default.</summary>
    public async Task<IActionResult> OnPostResetAsync(string? property, CancellationToken ct)
    {
        var outcome = await settings.ResetAsync(property, me.UserId, ct);
        if (outcome.Refusal == SettingResetRefusal.NoSuchSetting) return NotFound();
        Message = outcome.Succeeded
            ? localizer["{0} is back to its default.", SettingsMessages.Label(outcome.Field!, localizer)]
            : SettingsMessages.Refused(outcome, localizer);
        return RedirectToPage();
    }
}
