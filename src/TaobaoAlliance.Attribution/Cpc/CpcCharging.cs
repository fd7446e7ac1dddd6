namespace TaobaoAlliance.Attribution.Cpc;

/// <summary>Why a CPC click cost what it did.</summary>
public enum CpcChargeOutcome
{
    /// <summary>Charged the auction price.</summary>
    Charged,
    /// <summary>The same clicker (visitor, or IP and user agent) already paid a click on the campaign within the free-repeat window.</summary>
    RepeatFree,
    /// <summary>The price no longer fitted in the day's budget.</summary>
    OverBudget,
    /// <summary>The seller's wallet could not pay the price.</summary>
    WalletEmpty,
    /// <summary>The campaign was paused or out of its schedule by the time of the click.</summary>
    CampaignStopped,
}

/// <summary>
/// What a valid click on a served ad costs, decided in this order (docs/money.md, "Charging"): a stopped
/// campaign pays nothing; a repeat clicker within the window clicks free; a price over what is left of
/// the day's budget is not charged. The wallet is checked last, by the ledger's guard when the charge
/// is posted (<see cref="CpcChargeOutcome.WalletEmpty"/>).
/// </summary>
public static class CpcCharging
{
    public static CpcChargeOutcome Decide(bool campaignRunning, bool repeatClicker, Money price, Money budgetLeft) =>
        !campaignRunning ? CpcChargeOutcome.CampaignStopped
        : repeatClicker ? CpcChargeOutcome.RepeatFree
        : price > budgetLeft ? CpcChargeOutcome.OverBudget
        : CpcChargeOutcome.Charged;

    /// <summary>A campaign sells clicks while active and inside its schedule (start included, end excluded).</summary>
    public static bool IsRunning(bool active, DateTimeOffset startsAt, DateTimeOffset? endsAt, DateTimeOffset at) =>
        active && startsAt <= at && (endsAt is null || endsAt > at);
}
