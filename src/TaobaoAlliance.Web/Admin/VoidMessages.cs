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
