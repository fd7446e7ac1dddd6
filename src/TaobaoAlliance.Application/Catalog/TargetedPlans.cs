using TaobaoAlliance.Application.Audit;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Notifications;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>A new targeted plan on a shop the caller has checked the seller owns (or on one item of it); times already checked by the form.</summary>
public sealed record PlanRequest(long ShopId, long ActorUserId, long? ItemId, string Name, Rate Rate, DateTimeOffset StartsAt, DateTimeOffset? EndsAt);

/// <summary>Why a plan was not created; nothing was written.</summary>
public enum PlanRefusal { ItemNotInShop, RateNotAboveReplaced }

/// <summary>The plan created, or why not (with the rate it had to beat).</summary>
public sealed record PlanOutcome(TargetedPlan? Plan, PlanRefusal? Refusal, Rate Replaced)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>What became of a webmaster's application; null outcome means no such application on the seller's plans.</summary>
public enum PlanDecisionOutcome { Decided, AlreadyDecided }

/// <summary>
/// Targeted plans of the seller's shops: create one (its rate must beat the rate it replaces: the item's
/// own rate, else the shop's), approve or reject a webmaster's application, end a plan.
/// </summary>
public sealed class TargetedPlans(AllianceDbContext db, AuditTrail audit, Notifier notifier, TimeProvider clock, ILogger<TargetedPlans> logger)
{
    public async Task<PlanOutcome> CreateAsync(PlanRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shopRate = await db.Shops.Where(s => s.Id == request.ShopId).Select(s => s.GeneralRateBp).SingleAsync(ct);
        var replaced = new Rate(shopRate);
        if (request.ItemId is { } itemId)
        {
            var item = await db.Items.AsNoTracking().Where(i => i.Id == itemId && i.ShopId == request.ShopId)
                .Select(i => new { i.CommissionRateBp }).SingleOrDefaultAsync(ct);
            if (item is null) return new(null, PlanRefusal.ItemNotInShop, replaced);
            replaced = new Rate(item.CommissionRateBp ?? shopRate);
        }
        if (request.Rate.BasisPoints <= replaced.BasisPoints) return new(null, PlanRefusal.RateNotAboveReplaced, replaced);

        var plan = new TargetedPlan
        {
            ShopId = request.ShopId,
            ItemId = request.ItemId,
            Name = request.Name.Trim(),
            RateBp = request.Rate.BasisPoints,
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
            IsActive = true,
        };
        db.TargetedPlans.Add(plan);
        // The audit row needs the plan's id: both in one transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        audit.Record(request.ActorUserId, "plan.create", "targeted_plan", plan.Id,
            new { plan.ShopId, plan.ItemId, plan.Name, rateBp = plan.RateBp, replacedRateBp = replaced.BasisPoints, plan.StartsAt, plan.EndsAt });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Seller created targeted plan {PlanId} on shop {ShopId}, item {ItemId}, at {RateBp} bp", plan.Id, plan.ShopId, plan.ItemId, plan.RateBp);
        return new(plan, null, replaced);
    }

    /// <summary>Approves or rejects a waiting application; a second click (or a stale page) changes nothing. Null: no such application.</summary>
    public async Task<PlanDecisionOutcome?> DecideAsync(long sellerId, long actorUserId, long planId, long webmasterId, PlanMembershipState decision, CancellationToken ct)
    {
        var member = await db.TargetedPlanMembers
            .Where(m => m.PlanId == planId && m.WebmasterId == webmasterId && db.TargetedPlans.Any(p => p.Id == planId && p.Shop.SellerId == sellerId))
            .SingleOrDefaultAsync(ct);
        if (member is null) return null;
        if (member.State != PlanMembershipState.Applied) return PlanDecisionOutcome.AlreadyDecided;
        member.State = decision;
        member.DecidedAt = clock.GetUtcNow();
        audit.Record(actorUserId, decision == PlanMembershipState.Approved ? "plan.approve" : "plan.reject", "targeted_plan", planId, new { webmasterId });
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var plan = await db.TargetedPlans.Where(p => p.Id == planId).Select(p => p.Name).SingleAsync(ct);
        await notifier.PlanDecidedAsync(webmasterId, planId, plan, decision.ToString(), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Webmaster {WebmasterId} {Decision} for targeted plan {PlanId}", webmasterId, decision, planId);
        return PlanDecisionOutcome.Decided;
    }

    /// <summary>Deactivates the seller's plan: from now on its members are paid the normal rates (clicks already made keep theirs). Null: no such plan.</summary>
    public async Task<TargetedPlan?> EndAsync(long sellerId, long actorUserId, long planId, CancellationToken ct)
    {
        var plan = await db.TargetedPlans.SingleOrDefaultAsync(p => p.Id == planId && p.Shop.SellerId == sellerId, ct);
        if (plan is null) return null;
        if (plan.IsActive)
        {
            plan.IsActive = false;
            audit.Record(actorUserId, "plan.end", "targeted_plan", plan.Id, new { plan.ShopId, plan.Name });
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Targeted plan {PlanId} of shop {ShopId} deactivated", plan.Id, plan.ShopId);
        }
        return plan;
    }
}
