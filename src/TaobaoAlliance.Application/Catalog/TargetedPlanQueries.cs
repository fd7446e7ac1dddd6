using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>How a targeted plan stands at a moment, as the seller's list shows it.</summary>
public enum PlanStatus { Running, Scheduled, Ended, Deactivated }

/// <summary>
/// Which targeted plans are open: active and inside their period. The same condition the click path
/// applies when it pays the plan rate (Clicks/ClickRecorder.cs), so the library never offers a plan
/// that would not pay.
/// </summary>
public static class TargetedPlanQueries
{
    public static IQueryable<TargetedPlan> OpenAt(this IQueryable<TargetedPlan> plans, DateTimeOffset now) =>
        plans.Where(p => p.IsActive && p.StartsAt <= now && (p.EndsAt == null || p.EndsAt > now));

    public static PlanStatus StatusAt(bool isActive, DateTimeOffset startsAt, DateTimeOffset? endsAt, DateTimeOffset now) =>
        !isActive ? PlanStatus.Deactivated
        : endsAt is { } end && end <= now ? PlanStatus.Ended
        : startsAt > now ? PlanStatus.Scheduled
        : PlanStatus.Running;
}
