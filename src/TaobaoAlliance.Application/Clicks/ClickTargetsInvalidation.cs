using TaobaoAlliance.Application.Changes;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>Drops this node's <see cref="ClickTargets"/> as soon as this node saves what a click is decided from.</summary>
public sealed class ClickTargetsInvalidation(ClickTargets targets)
    : SavedEntitiesInterceptor(typeof(Link), typeof(AdZone), typeof(Site), typeof(Item), typeof(Shop), typeof(TargetedPlan), typeof(TargetedPlanMember))
{
    protected override ValueTask SavedAsync()
    {
        targets.Invalidate();
        return ValueTask.CompletedTask;
    }
}
