namespace TaobaoAlliance.Attribution.Cpc;

/// <summary>What today's cap becomes when a seller changes a campaign's daily budget in the middle of a China day.</summary>
public static class DailyBudget
{
    /// <summary>
    /// The new budget, but never below what was already spent today: that money is charged and gone (and the
    /// day-spend row's check spent ≤ budget would refuse less), so a budget at or under today's spend simply
    /// stops today's charging.
    /// </summary>
    public static Money TodayAfterChange(Money spentToday, Money newDailyBudget) => Money.Max(spentToday, newDailyBudget);
}
