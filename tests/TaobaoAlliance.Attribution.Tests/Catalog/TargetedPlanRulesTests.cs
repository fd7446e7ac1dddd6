using TaobaoAlliance.Attribution.Catalog;

namespace TaobaoAlliance.Attribution.Tests.Catalog;

public sealed class TargetedPlanRulesTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset End = Start.AddDays(10);

    [Fact]
    public void A_plan_is_open_from_its_first_instant() =>
        TargetedPlanRules.IsOpenAt(true, Start, End, Start).Should().BeTrue();

    [Fact]
    public void A_plan_is_not_open_before_it_starts() =>
        TargetedPlanRules.StatusAt(true, Start, End, Start.AddTicks(-1)).Should().Be(PlanStatus.Scheduled);

    [Fact]
    public void A_plan_is_closed_at_its_end_instant() =>
        TargetedPlanRules.StatusAt(true, Start, End, End).Should().Be(PlanStatus.Ended);

    [Fact]
    public void A_plan_without_an_end_stays_open() =>
        TargetedPlanRules.IsOpenAt(true, Start, null, Start.AddYears(5)).Should().BeTrue();

    [Fact]
    public void A_deactivated_plan_is_never_open() =>
        TargetedPlanRules.StatusAt(false, Start, End, Start.AddDays(1)).Should().Be(PlanStatus.Deactivated);

    [Theory]
    [InlineData(null, 7L, true)]
    [InlineData(7L, 7L, true)]
    [InlineData(8L, 7L, false)]
    public void A_plan_covers_its_item_or_every_item_of_its_shop(long? planItemId, long itemId, bool covered) =>
        TargetedPlanRules.Covers(planItemId, itemId).Should().Be(covered);
}
