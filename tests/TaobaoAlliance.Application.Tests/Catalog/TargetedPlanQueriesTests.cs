using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Tests.Catalog;

/// <summary>
/// The queries' expression of "a plan is open" (translated to SQL) says what <see cref="TargetedPlanRules.IsOpenAt"/>
/// says, which the click path applies in memory: run here over objects, on each edge of a plan's period.
/// </summary>
public sealed class TargetedPlanQueriesTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public static TheoryData<bool, DateTimeOffset?, DateTimeOffset> Cases()
    {
        var data = new TheoryData<bool, DateTimeOffset?, DateTimeOffset>();
        foreach (var active in new[] { true, false })
        {
            foreach (var end in new DateTimeOffset?[] { null, Start.AddDays(10) })
            {
                foreach (var at in new[] { Start.AddTicks(-1), Start, Start.AddDays(5), Start.AddDays(10).AddTicks(-1), Start.AddDays(10), Start.AddYears(1) })
                {
                    data.Add(active, end, at);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_query_opens_a_plan_exactly_when_the_rule_does(bool active, DateTimeOffset? endsAt, DateTimeOffset at)
    {
        var plan = new TargetedPlan { IsActive = active, StartsAt = Start, EndsAt = endsAt };
        var open = new[] { plan }.AsQueryable().OpenAt(at).Any();
        open.Should().Be(TargetedPlanRules.IsOpenAt(active, Start, endsAt, at));
    }
}
