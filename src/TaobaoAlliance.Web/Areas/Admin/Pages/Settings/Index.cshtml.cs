using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Settings;

/// <summary>
/// The platform's defaults (<see cref="AllianceOptions"/>) with their current values, edited in the
/// units an admin thinks in (days, %, ¥) and checked against the same ranges as at start-up. A change
/// is stored as a <c>platform_settings</c> override (key <c>Alliance:Property</c>) with an audit row;
/// the configuration source is reloaded, so the next request runs on the new values.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, AuditTrail audit, IOptionsSnapshot<AllianceOptions> options, IConfiguration configuration,
    TimeProvider clock, IStringLocalizer<SharedResource> localizer, ILogger<IndexModel> logger) : PageModel
{
    public enum Unit { Days, Hours, Count, Percent, Yuan }

    /// <summary>One setting: which option it is, how it is named and explained, and the unit it is edited in.</summary>
    public sealed record Field(string Property, string Label, string Help, Unit Unit)
    {
        public string Key => AllianceOptions.Section + ":" + Property;
        public string InputName => $"Values[{Property}]";
        public PropertyInfo Info => typeof(AllianceOptions).GetProperty(Property)!;
        public RangeAttribute Range => Info.GetCustomAttribute<RangeAttribute>()!;
        public long Min => Convert.ToInt64(Range.Minimum, CultureInfo.InvariantCulture);
        public long Max => Convert.ToInt64(Range.Maximum, CultureInfo.InvariantCulture);

        /// <summary>Fen and basis points are edited as yuan and percent, with up to two decimals.</summary>
        public int Scale => Unit is Unit.Percent or Unit.Yuan ? 100 : 1;

        public long ValueOf(AllianceOptions o) => Convert.ToInt64(Info.GetValue(o), CultureInfo.InvariantCulture);

        public string Display(long value) => Scale == 1
            ? value.ToString(CultureInfo.InvariantCulture)
            : ((decimal)value / Scale).ToString(Unit == Unit.Yuan ? "0.00" : "0.##", CultureInfo.InvariantCulture);

        /// <summary>The value typed, in the option's own unit; null when it is not a number of this unit's precision.</summary>
        public long? Parse(string? text)
        {
            if (!decimal.TryParse(text?.Trim().TrimStart('¥').TrimEnd('%').Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
                || Math.Abs(number) > 1_000_000_000_000m)
            {
                return null;
            }
            var scaled = number * Scale;
            return scaled == decimal.Truncate(scaled) ? (long)scaled : null;
        }
    }

    public static readonly IReadOnlyList<Field> Fields =
    [
        new(nameof(AllianceOptions.AttributionWindowDays), "Attribution window", "Days before an order in which a click can win it.", Unit.Days),
        new(nameof(AllianceOptions.PlatformFeeBp), "Platform fee", "Share of each commission the platform keeps.", Unit.Percent),
        new(nameof(AllianceOptions.AutoConfirmDays), "Automatic confirmation", "Days after payment when an unconfirmed order is confirmed.", Unit.Days),
        new(nameof(AllianceOptions.SettlementHoldDays), "Settlement hold", "Days a confirmed order's commission is held before it settles.", Unit.Days),
        new(nameof(AllianceOptions.PayoutThresholdFen), "Payout threshold", "Smallest payout a webmaster can request.", Unit.Yuan),
        new(nameof(AllianceOptions.CpcReserveFen), "CPC reserve price", "Lowest price a CPC click is ever sold at.", Unit.Yuan),
        new(nameof(AllianceOptions.CpcWebmasterShareBp), "CPC webmaster share", "Share of a CPC click's price the webmaster earns.", Unit.Percent),
        new(nameof(AllianceOptions.CpcRepeatClickFreeHours), "Free repeat clicks", "Hours in which a visitor's repeat click on the same campaign is free.", Unit.Hours),
        new(nameof(AllianceOptions.MaxClicksPerMinutePerIpPerSite), "Click rate limit", "More clicks than this per minute from one IP on one site are invalid.", Unit.Count),
    ];

    public sealed record FieldView(Field Field, long Current, long Default, string? OverriddenBy, DateTimeOffset? OverriddenAt)
    {
        public bool IsOverridden => OverriddenAt is not null;
    }

    [BindProperty] public Dictionary<string, string?> Values { get; set; } = [];

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<FieldView> Settings { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear(); // the dictionary is checked here, field by field, in the admin's units
        var current = options.Value;
        var candidate = Copy(current);
        foreach (var field in Fields)
        {
            var raw = Values.GetValueOrDefault(field.Property);
            if (field.Parse(raw) is not { } value)
            {
                ModelState.AddModelError(field.InputName, localizer["{0}: enter a number (at most two decimals).", localizer[field.Label]]);
                continue;
            }
            if (value < field.Min || value > field.Max)
            {
                ModelState.AddModelError(field.InputName, localizer["{0} must be between {1} and {2}.", localizer[field.Label],
                    field.Display(field.Min), field.Display(field.Max)]);
                continue;
            }
            field.Info.SetValue(candidate, Convert.ChangeType(value, field.Info.PropertyType, CultureInfo.InvariantCulture));
        }
        // The same check as at start-up, in case AllianceOptions gains a rule this page does not know.
        var results = new List<ValidationResult>();
        if (ModelState.IsValid && !Validator.TryValidateObject(candidate, new ValidationContext(candidate), results, validateAllProperties: true))
        {
            foreach (var result in results) ModelState.AddModelError("", result.ErrorMessage ?? "");
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        var changes = Fields.Where(f => f.ValueOf(candidate) != f.ValueOf(current))
            .Select(f => new { key = f.Key, from = f.ValueOf(current), to = f.ValueOf(candidate) })
            .ToList();
        if (changes.Count == 0)
        {
            Message = localizer["Nothing changed."];
            return RedirectToPage();
        }

        var now = clock.GetUtcNow();
        var adminId = User.UserId();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var change in changes)
            {
                var value = change.to.ToString(CultureInfo.InvariantCulture);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO platform_settings (key, value, updated_at, updated_by_user_id) VALUES ({change.key}, {value}, {now}, {adminId})
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by_user_id = excluded.updated_by_user_id
                    """, ct);
            }
            audit.Record(adminId, "settings.update", "platform_setting", AllianceOptions.Section, new { changes });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        logger.LogInformation("Admin {AdminUserId} changed settings {Keys}", adminId, changes.Select(c => c.key).ToList());
        Message = Reloaded()
            ? localizer["Settings saved. They apply from the next request."]
            : localizer["Settings saved. They apply once the app restarts."];
        return RedirectToPage();
    }

    /// <summary>Removes an override: the setting goes back to its configured default.</summary>
    public async Task<IActionResult> OnPostResetAsync(string? property, CancellationToken ct)
    {
        if (Fields.FirstOrDefault(f => f.Property == property) is not { } field) return NotFound();
        var now = clock.GetUtcNow();
        var adminId = User.UserId();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var removed = await db.PlatformSettings.Where(s => s.Key == field.Key).ExecuteDeleteAsync(ct);
            if (removed == 0)
            {
                Message = localizer["{0} already has its default value.", localizer[field.Label]];
                return RedirectToPage();
            }
            audit.Record(adminId, "settings.reset", "platform_setting", field.Key,
                new { key = field.Key, from = field.ValueOf(options.Value) });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        logger.LogInformation("Admin {AdminUserId} reset setting {Key} to its default", adminId, field.Key);
        Reloaded();
        Message = localizer["{0} is back to its default.", localizer[field.Label]];
        return RedirectToPage();
    }

    private bool Reloaded()
    {
        if (PlatformSettingsConfiguration.Reload(configuration) > 0) return true;
        logger.LogWarning("Platform settings were saved but no platform-settings configuration source is registered: they apply after a restart");
        return false;
    }

    private static AllianceOptions Copy(AllianceOptions source)
    {
        var copy = new AllianceOptions();
        foreach (var field in Fields) field.Info.SetValue(copy, field.Info.GetValue(source));
        return copy;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var keys = Fields.Select(f => f.Key).ToList();
        var overrides = await db.PlatformSettings.AsNoTracking().Where(s => keys.Contains(s.Key))
            .Select(s => new { s.Key, s.UpdatedAt, By = db.Users.Where(u => u.Id == s.UpdatedByUserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToDictionaryAsync(s => s.Key, ct);
        var compiled = new AllianceOptions();
        Settings = Fields.Select(f =>
        {
            var configured = PlatformSettingsConfiguration.ConfiguredDefault(configuration, f.Key);
            var fallback = long.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : f.ValueOf(compiled);
            var row = overrides.GetValueOrDefault(f.Key);
            return new FieldView(f, f.ValueOf(options.Value), fallback, row?.By, row?.UpdatedAt);
        }).ToList();
    }
}
