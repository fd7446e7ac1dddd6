using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Commissions;

namespace TaobaoAlliance.Application.Commissions;

/// <summary>Reads a stored commission back into the rules' terms.</summary>
public static class CommissionMath
{
    /// <summary>What the commission is worth now: its calculation on the part of the line not refunded.</summary>
    public static CommissionAmounts Effective(this Commission c) =>
        c.State is CommissionState.Reversed or CommissionState.Voided
            ? default
            : RemainingOn(c, new Money(c.BaseFen - c.RefundedBaseFen));

    public static CommissionAmounts RemainingOn(Commission c, Money remainingBase) => c.Terms().RemainingOn(remainingBase);

    /// <summary>The terms the commission was calculated with, as the refund rules take them.</summary>
    public static CommissionTerms Terms(this Commission c) =>
        new(new Money(c.BaseFen), new Rate(c.RateBp), new Rate(c.PlatformFeeBp), c.SubsidyBonusBp, new Money(c.SubsidyFen));
}
