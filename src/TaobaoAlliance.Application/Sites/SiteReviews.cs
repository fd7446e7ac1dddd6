using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Notifications;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Application.Sites;

/// <summary>An admin's decision on a site.</summary>
public sealed record SiteDecisionRequest(long SiteId, SiteDecision Decision, string? Reason, long AdminUserId);

/// <summary>Why a decision was refused; nothing was written.</summary>
public enum SiteDecisionRefusal { NoSuchSite, ReasonRequired, ReasonTooLong, NotAllowed }

/// <summary>The site after the decision (or as it stood when refused), the states it moved between, and any refusal.</summary>
public sealed record SiteDecisionOutcome(Site? Site, SiteState? From, SiteState? To, SiteDecisionRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// Site review: an admin approves, rejects or suspends a site as <see cref="SiteReviewRules"/> allow. The
/// site's state and reason, a review row (its history) and an audit row commit together; the site row
/// is locked, so two admins deciding at once cannot both act on the state they read.
/// </summary>
public sealed class SiteReviews(AllianceDbContext db, AuditTrail audit, Notifier notifier, TimeProvider clock, ILogger<SiteReviews> logger)
{
    public const int MaxReasonLength = 1000;

    public async Task<SiteDecisionOutcome> DecideAsync(SiteDecisionRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (reason is null && SiteReviewRules.NeedsReason(request.Decision)) return new(null, null, null, SiteDecisionRefusal.ReasonRequired);
        if (reason?.Length > MaxReasonLength) return new(null, null, null, SiteDecisionRefusal.ReasonTooLong);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var site = await db.Sites.FromSql($"SELECT * FROM sites WHERE id = {request.SiteId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (site is null) return new(null, null, null, SiteDecisionRefusal.NoSuchSite);
        var from = site.State;
        if (SiteReviewRules.Target(request.Decision, from, site.VerifiedAt is not null) is not { } to)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new(site, from, null, SiteDecisionRefusal.NotAllowed);
        }

        site.State = to;
        site.StateReason = to == SiteState.Approved ? null : reason;
        db.SiteReviews.Add(new SiteReview { SiteId = site.Id, FromState = from, ToState = to, Reason = reason, ActorUserId = request.AdminUserId, At = clock.GetUtcNow() });
        audit.Record(request.AdminUserId, "site." + request.Decision.ToString().ToLowerInvariant(), "site", site.Id,
            new { site.WebmasterId, site.Name, fromState = from.ToString(), toState = to.ToString(), reason });
        await notifier.SiteDecidedAsync(site.WebmasterId, site.Id, site.Name, to.ToString(), site.StateReason, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Site {SiteId} moved from {FromState} to {ToState} by admin {AdminUserId}", site.Id, from, to, request.AdminUserId);
        return new(site, from, to, null);
    }
}
