using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Fraud;
using TaobaoAlliance.Data.Commissions;

namespace TaobaoAlliance.Web.Admin;

/// <summary>The admin's words for a void that was refused (both pages that void say the same).</summary>
public static class VoidMessages
{
    public static string Refused(VoidOutcome outcome, IStringLocalizer localizer, long commissionId) =>
        outcome.Refusal switch
        {
            VoidRefusal.NoSuchCommission => localizer["There is no commission {0}.", commissionId],
            VoidRefusal.ReasonRequired => localizer["Give a reason for voiding the commission."],
            VoidRefusal.ReasonTooLong => localizer["The reason can be at most {0} characters.", CommissionVoider.MaxReasonLength],
            _ => localizer["Commission {0} is {1}: only a pending or settled commission can be voided.", commissionId,
                AdminLabels.Commission(outcome.StateFound ?? CommissionState.Voided, localizer)],
        };
}

/// <summary>Why a void of paid CPC clicks was refused, in the reader's language.</summary>
public static class CpcVoidMessages
{
    public static string Refused(CpcVoidOutcome outcome, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Refusal switch
        {
            CpcVoidRefusal.NothingSelected => localizer["Choose the paid clicks: a charge id, a site, an IP hash or a time range."],
            CpcVoidRefusal.RangeReversed => localizer["The end of the time range must be after its start."],
            CpcVoidRefusal.ReasonRequired => localizer["Give a reason for voiding the clicks."],
            CpcVoidRefusal.ReasonTooLong => localizer["The reason can be at most {0} characters.", CpcClickVoider.MaxReasonLength],
            CpcVoidRefusal.NothingToVoid => localizer["No paid click that is not voided yet matches; nothing was changed."],
            _ => localizer["The selection changed since the preview (clicks were charged or voided meanwhile); nothing was changed. Check the new preview and confirm again."],
        };
    }
}
