using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Application.Catalog;

namespace TaobaoAlliance.Application.Sites;

/// <summary>A webmaster's site as the registration form sends it (fields the form requires may still be missing).</summary>
public sealed record SiteRegistrationRequest(long WebmasterId, long ActorUserId, string? Name, string? Url, int? CategoryId,
    int? ClaimedDailyVisitors, string? Description);

/// <summary>What stops a registration; nothing was written.</summary>
public enum SiteRegistrationProblem { AddressNotHttp, AddressHasUserInfo, AddressTooLong, UnknownCategory, AlreadyRegistered }

/// <summary>The registered site, or the problems that stopped it.</summary>
public sealed record SiteRegistrationOutcome(Site? Site, IReadOnlyList<SiteRegistrationProblem> Problems)
{
    public bool Succeeded => Site is not null;
}

/// <summary>
/// Registers a webmaster's site: checked fields, a fresh ownership token, and the first line of the
/// site's history and of the audit log. The site then waits for verification and an admin's review.
/// </summary>
public sealed class SiteRegistration(AllianceDbContext db, AuditTrail audit, TimeProvider clock, ILogger<SiteRegistration> logger)
{
    /// <summary>
    /// The problems of the fields that are there (a missing field is the form's to report): the address
    /// (<see cref="SiteAddress"/>), the category, and an address the webmaster already registered.
    /// </summary>
    public async Task<IReadOnlyList<SiteRegistrationProblem>> ProblemsAsync(SiteRegistrationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<SiteRegistrationProblem>();
        string? url = null;
        if (!string.IsNullOrWhiteSpace(request.Url))
        {
            (url, var problem) = SiteAddress.Check(request.Url);
            if (problem is { } p)
            {
                problems.Add(p switch
                {
                    SiteAddressProblem.NotHttp => SiteRegistrationProblem.AddressNotHttp,
                    SiteAddressProblem.HasUserInfo => SiteRegistrationProblem.AddressHasUserInfo,
                    _ => SiteRegistrationProblem.AddressTooLong,
                });
            }
        }
        if (request.CategoryId is { } categoryId && !await db.Categories.AnyAsync(c => c.Id == categoryId && c.RetiredAt == null, ct))
        {
            problems.Add(SiteRegistrationProblem.UnknownCategory);
        }
        if (url is not null && await db.Sites.AnyAsync(s => s.WebmasterId == request.WebmasterId && s.Url == url, ct))
        {
            problems.Add(SiteRegistrationProblem.AlreadyRegistered);
        }
        return problems;
    }

    /// <summary>Registers the site (pending) with its first history row and an audit row, or returns its problems.</summary>
    public async Task<SiteRegistrationOutcome> RegisterAsync(SiteRegistrationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = await ProblemsAsync(request, ct);
        if (problems.Count > 0) return new(null, problems);
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Url) || request.CategoryId is null
            || request.ClaimedDailyVisitors is null)
        {
            throw new ArgumentException("Name, address, category and visitors are required.", nameof(request));
        }

        var now = clock.GetUtcNow();
        var site = new Site
        {
            WebmasterId = request.WebmasterId,
            Name = request.Name.Trim(),
            Url = request.Url.Trim(),
            CategoryId = request.CategoryId.Value,
            ClaimedDailyVisitors = request.ClaimedDailyVisitors.Value,
            Description = request.Description?.Trim() ?? "",
            VerificationToken = SiteVerification.NewToken(),
            State = SiteState.Pending,
            CreatedAt = now,
        };
        site.Reviews.Add(new SiteReview { ToState = SiteState.Pending, Reason = SiteHistoryNotes.Registered, ActorUserId = request.ActorUserId, At = now });
        db.Sites.Add(site);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            audit.Record(request.ActorUserId, "site.register", "site", site.Id, new { site.Name, site.Url, site.CategoryId, site.ClaimedDailyVisitors });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        logger.LogInformation("Webmaster {WebmasterId} registered site {SiteId}", request.WebmasterId, site.Id);
        return new(site, []);
    }
}
