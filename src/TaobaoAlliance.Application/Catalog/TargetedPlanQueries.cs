using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>
/// Which targeted plans are open, for queries: <see cref="TargetedPlanRules.IsOpenAt"/> written as an expression
/// EF Core translates to SQL (it cannot translate a call into the rules). The click path checks the rule itself
/// on the plans it keeps in memory (Clicks/ClickTargets.cs, <c>PlanRate.Covers</c>), so the library never offers
/// a plan that would not pay; a change to when a plan is open is made in both, and TargetedPlanQueriesTests
/// holds them to each other.
/// </summary>
public static class TargetedPlanQueries
{
    public static IQueryable<TargetedPlan> OpenAt(this IQueryable<TargetedPlan> plans, DateTimeOffset now) =>
        plans.Where(p => p.IsActive && p.StartsAt <= now && (p.EndsAt == null || p.EndsAt > now));
}
