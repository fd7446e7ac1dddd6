using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Settings;
using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Web.Admin;

/// <summary>The settings page's words: each setting's name and explanation, and a refused value, in the reader's language.</summary>
public static class SettingsMessages
{
    private static readonly Dictionary<string, (string Label, string Help)> Texts = new()
    {
        [nameof(AllianceOptions.AttributionWindowDays)] = ("Attribution window", "Days before an order in which a click can win it."),
        [nameof(AllianceOptions.PlatformFeeBp)] = ("Platform fee", "Share of each commission the platform keeps."),
        [nameof(AllianceOptions.AutoConfirmDays)] = ("Automatic confirmation", "Days after payment when an unconfirmed order is confirmed."),
        [nameof(AllianceOptions.SettlementHoldDays)] = ("Settlement hold", "Days a confirmed order's commission is held before it settles."),
        [nameof(AllianceOptions.PayoutThresholdFen)] = ("Payout threshold", "Smallest payout a webmaster can request."),
        [nameof(AllianceOptions.CpcReserveFen)] = ("CPC reserve price", "Lowest price a CPC click is ever sold at."),
        [nameof(AllianceOptions.CpcWebmasterShareBp)] = ("CPC webmaster share", "Share of a CPC click's price the webmaster earns."),
        [nameof(AllianceOptions.CpcRepeatClickFreeHours)] = ("Free repeat clicks", "Hours in which a visitor's repeat click on the same campaign is free."),
        [nameof(AllianceOptions.CpcHoldDays)] = ("CPC hold", "Days a paid click's webmaster share stays pending (and can be voided) before it becomes available."),
        [nameof(AllianceOptions.MaxClicksPerMinutePerIpPerSite)] = ("Click rate limit", "More clicks than this per minute from one IP on one site are invalid."),
    };

    public static string Label(SettingField field, IStringLocalizer localizer) => localizer[Texts[field.Property].Label];

    public static string Help(SettingField field, IStringLocalizer localizer) => localizer[Texts[field.Property].Help];

    public static string Refused(SettingProblem problem, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return (problem.Refusal, problem.Field) switch
        {
            (SettingRefusal.NotANumber, { } field) => localizer["{0}: enter a number (at most two decimals).", Label(field, localizer)],
            (SettingRefusal.OutOfRange, { } field) => localizer["{0} must be between {1} and {2}.", Label(field, localizer),
                field.Display(field.Min), field.Display(field.Max)],
            _ => problem.RuleMessage ?? "",
        };
    }

    public static string Refused(SettingResetOutcome outcome, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome is { Refusal: SettingResetRefusal.AlreadyDefault, Field: { } field }
            ? localizer["{0} already has its default value.", Label(field, localizer)]
            : throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Refusal, "Not a message refusal");
    }
}
