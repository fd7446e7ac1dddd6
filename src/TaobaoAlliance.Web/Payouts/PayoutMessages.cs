using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Payouts;

/// <summary>A refused payout action in the user's language.</summary>
public static class PayoutMessages
{
    public static string Refused(PayoutOutcome outcome, IStringLocalizer<SharedResource> localizer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(localizer);
        return outcome.Refusal switch
        {
            PayoutRefusal.BelowThreshold => localizer["The smallest payout is {0}.", outcome.Limit],
            PayoutRefusal.OpenRequestExists => localizer["You already have an open payout request; wait for the admin's decision."],
            PayoutRefusal.MoreThanAvailable => localizer["You can request at most your available balance, {0}.", outcome.Limit],
            PayoutRefusal.ReasonRequired => localizer["Give the webmaster a reason for the rejection."],
            PayoutRefusal.NotFound => localizer["No such payout request."],
            PayoutRefusal.AlreadyDecided when outcome.Request?.State is PayoutState.Approved or PayoutState.Paid => localizer["This request is already approved."],
            PayoutRefusal.NoPayoutMethod => localizer["Add a payout method first, so we know where to send the money."],
            PayoutRefusal.ReferenceRequired => localizer["Give the transfer's reference (at most {0} characters).", PayoutService.MaxReferenceLength],
            PayoutRefusal.NotApproved when outcome.Request?.State == PayoutState.Paid => localizer["This payout is already marked paid."],
            PayoutRefusal.NotApproved => localizer["Only an approved payout can be marked paid."],
            PayoutRefusal.AlreadyDecided => localizer["This request is already rejected."],
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Refusal, "Not a refusal"),
        };
    }
}
