using TaobaoAlliance.Attribution.Cpc;

namespace TaobaoAlliance.Attribution.Tests.Cpc;

public sealed class DailyBudgetTests
{
    [Theory]
    [InlineData(2000, 400, 2000)]
    [InlineData(500, 400, 500)]
    [InlineData(400, 400, 400)]
    public void A_budget_above_todays_spend_is_todays_cap(long newBudgetFen, long spentFen, long expectedFen) =>
        DailyBudget.TodayAfterChange(new Money(spentFen), new Money(newBudgetFen)).Should().Be(new Money(expectedFen));

    [Theory]
    [InlineData(300, 400)]
    [InlineData(1, 999)]
    public void A_budget_below_todays_spend_leaves_the_cap_at_what_was_spent_so_today_charges_no_more(long newBudgetFen, long spentFen) =>
        DailyBudget.TodayAfterChange(new Money(spentFen), new Money(newBudgetFen)).Should().Be(new Money(spentFen));

    [Fact]
    public void Nothing_spent_yet_today_makes_the_new_budget_the_cap() =>
        DailyBudget.TodayAfterChange(Money.Zero, Money.FromYuan(50m)).Should().Be(Money.FromYuan(50m));
}
