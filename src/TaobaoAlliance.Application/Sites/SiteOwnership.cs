using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Application.Sites;

/// <summary>The notes the platform itself writes into a site's history (the web shows them translated).</summary>
public static class SiteHistoryNotes
{
    public const string Registered = "Registered";
    public const string OwnershipVerified = "Ownership verified";
}

/// <summary>How an ownership check ended.</summary>
public enum OwnershipCheck { Verified, NoSuchSite, Unreachable, TagMissing }

/// <summary>The check's end, the fetch error when the page could not be read, and the site's state afterwards.</summary>
public sealed record OwnershipOutcome(OwnershipCheck Check, string? FetchError = null, Site? Site = null);

/// <summary>
/// A webmaster proves they own a site: the home page is fetched (<see cref="ISiteFetcher"/>) and must carry
/// the site's token in its verification meta tag. Success records the time, a history note and an audit
/// row; failure changes nothing.
/// </summary>
public sealed class SiteOwnership(AllianceDbContext db, ISiteFetcher fetcher, AuditTrail audit, TimeProvider clock, ILogger<SiteOwnership> logger)
{
    public async Task<OwnershipOutcome> VerifyAsync(long siteId, long webmasterId, long actorUserId, CancellationToken ct)
    {
        var site = await db.Sites.SingleOrDefaultAsync(s => s.Id == siteId && s.WebmasterId == webmasterId, ct);
        if (site is null) return new(OwnershipCheck.NoSuchSite);

        var fetched = await fetcher.FetchAsync(new Uri(site.Url), ct);
        if (fetched.Html is null || !SiteVerification.PageCarriesToken(fetched.Html, site.VerificationToken))
        {
            logger.LogInformation("Ownership check of site {SiteId} failed: {Reason}", site.Id, fetched.Error ?? "tag not found");
            return fetched.Error is { } error ? new(OwnershipCheck.Unreachable, error, site) : new(OwnershipCheck.TagMissing, null, site);
        }

        var now = clock.GetUtcNow();
        site.VerifiedAt = now;
        // The check is a step in the site's history: the admin's queue and the webmaster both see when it happened.
        site.Reviews.Add(new SiteReview { FromState = site.State, ToState = site.State, Reason = SiteHistoryNotes.OwnershipVerified, ActorUserId = actorUserId, At = now });
        audit.Record(actorUserId, "site.verify", "site", site.Id, new { site.Url });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Site {SiteId} verified its ownership", site.Id);
        return new(OwnershipCheck.Verified, null, site);
    }
}
