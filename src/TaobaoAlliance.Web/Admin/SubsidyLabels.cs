using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Subsidies;

namespace TaobaoAlliance.Web.Admin;

/// <summary>The subsidy pages' words: a programme's status and why a change was refused, in the reader's language.</summary>
public static class SubsidyLabels
{
    public static string Status(SubsidyStatus status, IStringLocalizer localizer) => status switch
    {
        SubsidyStatus.Scheduled => localizer["Scheduled"],
        SubsidyStatus.Running => localizer["Running"],
        SubsidyStatus.CapReached => localizer["Cap reached"],
        _ => localizer["Ended"],
    };

    /// <summary>The form field a refusal belongs to (its error key), or "" for the whole form.</summary>
    public static string Field(SubsidyRefusal refusal) => refusal switch
    {
        SubsidyRefusal.NameMissing => "Input.Name",
        SubsidyRefusal.BonusOutOfRange => "Input.BonusPercent",
        SubsidyRefusal.EndsBeforeStart or SubsidyRefusal.EndsInPast => "Input.EndsAt",
        SubsidyRefusal.CapOutOfRange => "Input.CapYuan",
        SubsidyRefusal.NoSuchCategory => "Input.CategoryId",
        _ => "",
    };

    public static string Refused(SubsidyRefusal refusal, IStringLocalizer localizer) => refusal switch
    {
        SubsidyRefusal.NameMissing => localizer["Enter a name of at most 100 characters."],
        SubsidyRefusal.BonusOutOfRange => localizer["The bonus must be between 0.01 % and 100 % of the webmaster's commission."],
        SubsidyRefusal.EndsBeforeStart => localizer["The end must be after the start."],
        SubsidyRefusal.EndsInPast => localizer["The end must be in the future."],
        SubsidyRefusal.CapOutOfRange => localizer["The cap must be more than ¥0 and at most ¥100,000,000."],
        SubsidyRefusal.NoSuchCategory => localizer["Choose a category from the list, or all categories."],
        SubsidyRefusal.AlreadyStarted => localizer["This programme has started: it can no longer be edited, only ended."],
        SubsidyRefusal.AlreadyEnded => localizer["This programme has already ended."],
        _ => localizer["There is no such subsidy programme."],
    };
}
