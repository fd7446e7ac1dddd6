namespace TaobaoAlliance.Attribution.Catalog;

/// <summary>How a targeted plan stands at a moment, as the seller's list shows it.</summary>
public enum PlanStatus { Running, Scheduled, Ended, Deactivated }

/// <summary>
/// When a targeted plan pays its rate: while it is active and inside its period (from its start, inclusive,
/// to its end, exclusive; no end means open-ended), on its one item or, when it names none, on every item
/// of its shop. Whether the webmaster is an approved member is the caller's part. The database queries
/// state the same condition as an expression (Application/Catalog/TargetedPlanQueries.cs).
/// </summary>
public static class TargetedPlanRules
{
    public static PlanStatus StatusAt(bool isActive, DateTimeOffset startsAt, DateTimeOffset? endsAt, DateTimeOffset now) =>
        !isActive ? PlanStatus.Deactivated
        : endsAt is { } end && end <= now ? PlanStatus.Ended
        : startsAt > now ? PlanStatus.Scheduled
        : PlanStatus.Running;

    /// <summary>True when the plan is open at <paramref name="at"/>: active and inside its period.</summary>
    public static bool IsOpenAt(bool isActive, DateTimeOffset startsAt, DateTimeOffset? endsAt, DateTimeOffset at) =>
        StatusAt(isActive, startsAt, endsAt, at) == PlanStatus.Running;

    /// <summary>True when a plan on <paramref name="planItemId"/> (null: the whole shop) covers the item.</summary>
    public static bool Covers(long? planItemId, long itemId) => planItemId is null || planItemId == itemId;
}
