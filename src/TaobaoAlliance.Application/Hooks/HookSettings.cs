using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Attribution.Hooks;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Hooks;

namespace TaobaoAlliance.Application.Hooks;

/// <summary>A site's postback or a shop's webhook as its owner sees it (never the secret, which is shown once).</summary>
public sealed record HookEndpointView(long Id, string Url, IReadOnlyList<string> Events, bool HasSecret, DateTimeOffset? SecretCreatedAt);

/// <summary>One line of the delivery log.</summary>
public sealed record HookMessageView(
    long Id, string Event, string Url, HookMessageState State, int Attempts, int? LastStatus, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt);

/// <summary>What saving a postback or webhook did: the problem with the address, or the secret when one was made (shown once).</summary>
public sealed record HookSaveOutcome(HookUrlProblem? Problem, bool NoEvents = false, string? NewSecret = null)
{
    public bool Saved => Problem is null && !NoEvents;
}

/// <summary>
/// Postback and webhook settings and their delivery log, for the owner (the pages check ownership first and pass
/// the site or shop). The address is checked by <see cref="PostbackTemplate.Check"/> with the site verification's
/// private-address rules; the first save makes the secret, which can be rotated.
/// </summary>
public sealed class HookSettings(AllianceDbContext db, AuditTrail audit, TimeProvider clock, IOptionsMonitor<HookOptions> options,
    IOptionsMonitor<SiteFetchOptions> fetch)
{
    public const int LogSize = 50;

    public Task<HookEndpointView?> EndpointAsync(HookKind kind, long ownerId, CancellationToken ct) =>
        Owned(kind, ownerId).AsNoTracking()
            .Select(e => new HookEndpointView(e.Id, e.Url, e.Events, e.Secret != null, e.SecretCreatedAt))
            .SingleOrDefaultAsync(ct);

    /// <summary>The latest messages of the owner's endpoint, newest first.</summary>
    public async Task<IReadOnlyList<HookMessageView>> LogAsync(HookKind kind, long ownerId, CancellationToken ct) =>
        await db.HookMessages.AsNoTracking()
            .Where(m => Owned(kind, ownerId).Any(e => e.Id == m.EndpointId))
            .OrderByDescending(m => m.Id).Take(LogSize)
            .Select(m => new HookMessageView(m.Id, m.Event, m.Url, m.State, m.Attempts, m.LastStatus, m.LastError, m.CreatedAt, m.LastAttemptAt,
                m.State == HookMessageState.Pending ? m.NextAttemptAt : null, m.DeliveredAt))
            .ToListAsync(ct);

    /// <summary>Saves the address (and, for a webhook, the events); on the first save also makes the secret.</summary>
    public async Task<HookSaveOutcome> SaveAsync(HookKind kind, long ownerId, long actorUserId, string? url, IReadOnlyCollection<string>? events, CancellationToken ct)
    {
        var (checkedUrl, problem) = PostbackTemplate.Check(url, allowMacros: kind == HookKind.Postback,
            allowInternal: fetch.CurrentValue.AllowPrivateAddresses, SiteFetcher.IsPublic);
        if (problem is not null) return new(problem);
        List<string> chosen = kind == HookKind.Postback
            ? [.. HookEvents.Postback]
            : [.. HookEvents.Webhook.Where(e => events?.Contains(e) == true)];
        if (chosen.Count == 0) return new(null, NoEvents: true);
        var now = clock.GetUtcNow();
        var endpoint = await Owned(kind, ownerId).SingleOrDefaultAsync(ct);
        string? secret = null;
        if (endpoint is null)
        {
            secret = NewSecret(kind);
            endpoint = new HookEndpoint
            {
                Kind = kind,
                SiteId = kind == HookKind.Postback ? ownerId : null,
                ShopId = kind == HookKind.Webhook ? ownerId : null,
                Secret = secret,
                SecretCreatedAt = now,
                CreatedAt = now,
            };
            db.HookEndpoints.Add(endpoint);
        }
        endpoint.Url = checkedUrl!;
        endpoint.Events = chosen;
        endpoint.UpdatedAt = now;
        audit.Record(actorUserId, kind == HookKind.Postback ? "postback.save" : "webhook.save", EntityType(kind), ownerId,
            new { url = checkedUrl, events = chosen, secretCreated = secret is not null });
        await db.SaveChangesAsync(ct);
        return new(null, NewSecret: secret);
    }

    /// <summary>Replaces the secret (messages from now on are signed with the new one); null when nothing is set up yet.</summary>
    public async Task<string?> RotateSecretAsync(HookKind kind, long ownerId, long actorUserId, CancellationToken ct)
    {
        if (await Owned(kind, ownerId).SingleOrDefaultAsync(ct) is not { } endpoint) return null;
        var secret = NewSecret(kind);
        endpoint.Secret = secret;
        endpoint.SecretCreatedAt = clock.GetUtcNow();
        audit.Record(actorUserId, kind == HookKind.Postback ? "postback.secret_rotate" : "webhook.secret_rotate", EntityType(kind), ownerId, new { });
        await db.SaveChangesAsync(ct);
        return secret;
    }

    /// <summary>"Send again": the message is due now, with a fresh day of retries. False when it is not the owner's.</summary>
    public async Task<bool> SendAgainAsync(HookKind kind, long ownerId, long messageId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expires = now.AddHours(options.CurrentValue.GiveUpAfterHours);
        var endpointIds = Owned(kind, ownerId).Select(e => e.Id);
        var changed = await db.HookMessages.Where(m => m.Id == messageId && endpointIds.Contains(m.EndpointId))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, HookMessageState.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.ExpiresAt, expires), ct);
        return changed == 1;
    }

    private IQueryable<HookEndpoint> Owned(HookKind kind, long ownerId) => kind == HookKind.Postback
        ? db.HookEndpoints.Where(e => e.Kind == HookKind.Postback && e.SiteId == ownerId)
        : db.HookEndpoints.Where(e => e.Kind == HookKind.Webhook && e.ShopId == ownerId);

    private static string EntityType(HookKind kind) => kind == HookKind.Postback ? "site" : "shop";

    private static string NewSecret(HookKind kind) =>
        (kind == HookKind.Postback ? "ta_pb_" : "ta_wh_") + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
