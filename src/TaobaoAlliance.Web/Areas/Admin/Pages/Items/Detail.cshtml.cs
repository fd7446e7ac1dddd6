using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Items;

/// <summary>One item for the admin: what it is, whose, and its state; delist it with a reason (a code and a note) or relist it.</summary>
public sealed class DetailModel(ItemDelisting delisting, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class DelistInput
    {
        [Required(ErrorMessage = "Choose the reason for delisting.")]
        [Display(Name = "Reason")]
        public DelistReason? Reason { get; set; }

        [StringLength(ItemDelisting.NoteMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Note to the seller")]
        public string? Note { get; set; }
    }

    [BindProperty] public DelistInput Input { get; set; } = new();

    [TempData] public string? Message { get; set; }

    public AdminItemRow Item { get; private set; } = null!;

    public static readonly DelistReason[] Reasons = [DelistReason.Counterfeit, DelistReason.Prohibited, DelistReason.Misleading, DelistReason.Other];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await delisting.FindAsync(id, ct) is not { } item) return NotFound();
        Item = item;
        return Page();
    }

    public async Task<IActionResult> OnPostDelistAsync(long id, CancellationToken ct)
    {
        if (await delisting.FindAsync(id, ct) is not { } item) return NotFound();
        Item = item;
        if (!ModelState.IsValid) return Page();
        var outcome = await delisting.DelistAsync(new DelistRequest(id, me.UserId, Input.Reason, Input.Note), ct);
        if (outcome.Refusals.Contains(DelistRefusal.NoSuchItem)) return NotFound();
        if (!outcome.Succeeded)
        {
            foreach (var refusal in outcome.Refusals) ModelState.AddModelError(CatalogAdminLabels.Field(refusal), CatalogAdminLabels.Refused(refusal, localizer));
            return Page();
        }
        Message = localizer["“{0}” is delisted. The seller has been told why.", Title(outcome.Item!)];
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRelistAsync(long id, CancellationToken ct)
    {
        var outcome = await delisting.RelistAsync(id, me.UserId, ct);
        if (outcome.Refusals.Contains(DelistRefusal.NoSuchItem)) return NotFound();
        Message = outcome.Succeeded
            ? outcome.Item!.OnSale
                ? localizer["“{0}” is relisted and on sale again.", Title(outcome.Item)]
                : localizer["“{0}” is relisted; it stays off sale until the seller lists it.", Title(outcome.Item)]
            : CatalogAdminLabels.Refused(outcome.Refusals[0], localizer);
        return RedirectToPage(new { id });
    }

    private static string Title(AdminItemRow item) => CultureInfo.CurrentUICulture.IsChinese() ? item.TitleZh : item.TitleEn;
}
