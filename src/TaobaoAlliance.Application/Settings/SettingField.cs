using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Application.Settings;

/// <summary>The unit an admin edits a setting in.</summary>
public enum SettingUnit { Days, Hours, Count, Percent, Yuan }

/// <summary>
/// One setting an admin may change: which property of <see cref="AllianceOptions"/> it is and the unit it is
/// edited in, with the option's own range and the conversions between the two.
/// </summary>
public sealed record SettingField(string Property, SettingUnit Unit)
{
    /// <summary>The settings the admin page offers, in the order it shows them.</summary>
    public static readonly IReadOnlyList<SettingField> All =
    [
        new(nameof(AllianceOptions.AttributionWindowDays), SettingUnit.Days),
        new(nameof(AllianceOptions.PlatformFeeBp), SettingUnit.Percent),
        new(nameof(AllianceOptions.AutoConfirmDays), SettingUnit.Days),
        new(nameof(AllianceOptions.SettlementHoldDays), SettingUnit.Days),
        new(nameof(AllianceOptions.PayoutThresholdFen), SettingUnit.Yuan),
        new(nameof(AllianceOptions.CpcReserveFen), SettingUnit.Yuan),
        new(nameof(AllianceOptions.CpcWebmasterShareBp), SettingUnit.Percent),
        new(nameof(AllianceOptions.CpcRepeatClickFreeHours), SettingUnit.Hours),
        new(nameof(AllianceOptions.CpcHoldDays), SettingUnit.Days),
        new(nameof(AllianceOptions.MaxClicksPerMinutePerIpPerSite), SettingUnit.Count),
    ];

    /// <summary>The configuration key, which is also the <c>platform_settings</c> key of its override.</summary>
    public string Key => AllianceOptions.Section + ":" + Property;

    public PropertyInfo Info => typeof(AllianceOptions).GetProperty(Property)!;

    private RangeAttribute Range => Info.GetCustomAttribute<RangeAttribute>()!;

    public long Min => Convert.ToInt64(Range.Minimum, CultureInfo.InvariantCulture);

    public long Max => Convert.ToInt64(Range.Maximum, CultureInfo.InvariantCulture);

    /// <summary>Fen and basis points are edited as yuan and percent, with up to two decimals.</summary>
    public int Scale => Unit is SettingUnit.Percent or SettingUnit.Yuan ? 100 : 1;

    public long ValueOf(AllianceOptions options) => Convert.ToInt64(Info.GetValue(options), CultureInfo.InvariantCulture);

    public string Display(long value) => Scale == 1
        ? value.ToString(CultureInfo.InvariantCulture)
        : ((decimal)value / Scale).ToString(Unit == SettingUnit.Yuan ? "0.00" : "0.##", CultureInfo.InvariantCulture);

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
