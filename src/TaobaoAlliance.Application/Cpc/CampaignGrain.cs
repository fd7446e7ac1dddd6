using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Concurrency;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// One campaign's charging (key: the campaign id). Every valid click on the campaign's ads, from any node, is
/// decided here, one after another, and written with group commit; a caller is answered only after its click
/// is committed. docs/money.md, "Charging".
/// </summary>
[Alias("TaobaoAlliance.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithIntegerKey
{
    [Alias("Charge")]
    Task<CampaignChargeResult> ChargeAsync(PaidClick click);

    /// <summary>
    /// Drops this activation once its calls are answered; the next call rebuilds the campaign's state from
    /// PostgreSQL. For operations after a correction made in the database, and for tests of that rebuild.
    /// </summary>
    [AlwaysInterleave, Alias("Deactivate")]
    Task DeactivateAsync();
}

/// <summary>
/// A valid click on a served ad, as the click path prepared it, with its signed ticket's charging facts and the sub-ids
/// of its click URL (the grain writes the click row: without them a paid click's commissions and postbacks lose them).
/// </summary>
[GenerateSerializer, Immutable, Alias("TaobaoAlliance.PaidClick")]
public sealed record PaidClick(
    [property: Id(0)] Guid ClickId,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] long WebmasterId,
    [property: Id(3)] long SiteId,
    [property: Id(4)] long ZoneId,
    [property: Id(5)] long ItemId,
    [property: Id(6)] long ShopId,
    [property: Id(7)] Guid VisitorId,
    [property: Id(8)] byte[] IpHash,
    [property: Id(9)] string? UserAgent,
    [property: Id(10)] string? Referrer,
    [property: Id(11)] int ItemRateBp,
    [property: Id(12)] int ShopRateBp,
    [property: Id(13)] Guid ImpressionId,
    [property: Id(14)] long PriceFen,
    [property: Id(15)] string? Sub1 = null,
    [property: Id(16)] string? Sub2 = null,
    [property: Id(17)] string? Sub3 = null,
    [property: Id(18)] string? Sub4 = null,
    [property: Id(19)] string? Sub5 = null);

/// <summary>What became of a paid click in the campaign grain.</summary>
[GenerateSerializer, Alias("TaobaoAlliance.CampaignChargeStatus")]
public enum CampaignChargeStatus
{
    /// <summary>Decided and committed with its <see cref="CampaignChargeResult.Outcome"/>.</summary>
    Decided,
    /// <summary>Its impression was already paid for: committed as an invalid click (<c>cpc_token_replayed</c>), no charge row.</summary>
    Replayed,
    /// <summary>Nothing was committed (PostgreSQL away): the caller keeps the click as not charged.</summary>
    Unavailable,
}

[GenerateSerializer, Immutable, Alias("TaobaoAlliance.CampaignChargeResult")]
public sealed record CampaignChargeResult(
    [property: Id(0)] CampaignChargeStatus Status,
    [property: Id(1)] CpcChargeOutcome Outcome,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] long ShareFen)
{
    public static readonly CampaignChargeResult Replayed = new(CampaignChargeStatus.Replayed, CpcChargeOutcome.CampaignStopped, 0, 0);
    public static readonly CampaignChargeResult Unavailable = new(CampaignChargeStatus.Unavailable, CpcChargeOutcome.CampaignStopped, 0, 0);
}

/// <summary>
/// Reentrant so that calls queue while a write is in flight: each write takes every click waiting (of one China
/// day), in arrival order, and commits them in one transaction — group commit. One write runs at a time, so the
/// decisions still happen one after another, each seeing every earlier one.
/// </summary>
[Reentrant]
public sealed class CampaignGrain(IServiceScopeFactory scopes, ILogger<CampaignGrain> logger) : Grain, ICampaignGrain
{
    private readonly List<(PaidClick Click, TaskCompletionSource<CampaignChargeResult> Answer)> waiting = [];
    private Task? writing;

    /// <summary>Who was charged recently; null until read from PostgreSQL (and again after a failed write, which may have left it ahead of the database).</summary>
    private RecentClickers? clickers;

    public Task<CampaignChargeResult> ChargeAsync(PaidClick click)
    {
        ArgumentNullException.ThrowIfNull(click);
        var answer = new TaskCompletionSource<CampaignChargeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.Add((click, answer));
        writing ??= WriteWhileWaitingAsync();
        return answer.Task;
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private async Task WriteWhileWaitingAsync()
    {
        try
        {
            // Let the calls that arrived with this one join its batch.
            await Task.Yield();
            while (waiting.Count > 0)
            {
                // A batch is one China day: the day names the budget row its clicks are charged to.
                var day = ChinaTime.DayOf(waiting[0].Click.OccurredAt);
                var batch = waiting.Where(w => ChinaTime.DayOf(w.Click.OccurredAt) == day).ToList();
                waiting.RemoveAll(w => ChinaTime.DayOf(w.Click.OccurredAt) == day);
                await WriteAsync(day, batch);
            }
        }
        finally
        {
            writing = null;
        }
    }

    private async Task WriteAsync(DateOnly day, List<(PaidClick Click, TaskCompletionSource<CampaignChargeResult> Answer)> batch)
    {
        var campaignId = this.GetPrimaryKeyLong();
        IReadOnlyList<CampaignChargeResult> results;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var writer = scope.ServiceProvider.GetRequiredService<CampaignChargeWriter>();
            clickers ??= await writer.RecentClickersAsync(campaignId, batch.Min(b => b.Click.OccurredAt));
            results = await writer.WriteAsync(campaignId, day, [.. batch.Select(b => b.Click)], clickers);
        }
        catch (Exception e)
        {
            // Nothing of the batch is committed (or, if the commit's answer was lost, PostgreSQL alone knows): forget
            // what memory holds and read it again, and let the callers keep their clicks as not charged.
            clickers = null;
            logger.LogWarning(e, "Charging {Count} clicks of campaign {CampaignId} failed: none acknowledged", batch.Count, campaignId);
            foreach (var (_, answer) in batch) answer.TrySetResult(CampaignChargeResult.Unavailable);
            return;
        }
        for (var i = 0; i < batch.Count; i++) batch[i].Answer.TrySetResult(results[i]);
    }
}

/// <summary>
/// The clickers a campaign charged within the free-repeat window: a visitor, or an IP hash with a user agent
/// (a client that drops its cookies is still one clicker), with the time of its latest charged click.
/// </summary>
public sealed class RecentClickers
{
    private readonly Dictionary<Guid, DateTimeOffset> visitors = [];
    private readonly Dictionary<string, DateTimeOffset> devices = new(StringComparer.Ordinal);

    public bool IsRepeat(Guid visitorId, byte[] ipHash, string? userAgent, DateTimeOffset since) =>
        (visitors.TryGetValue(visitorId, out var byVisitor) && byVisitor > since)
        || (devices.TryGetValue(DeviceKey(ipHash, userAgent), out var byDevice) && byDevice > since);

    public void Charged(Guid visitorId, byte[] ipHash, string? userAgent, DateTimeOffset at)
    {
        Later(visitors, visitorId, at);
        Later(devices, DeviceKey(ipHash, userAgent), at);
    }

    /// <summary>Forgets clickers charged at or before <paramref name="since"/>: memory stays one window of charges.</summary>
    public void Forget(DateTimeOffset since)
    {
        foreach (var key in visitors.Where(v => v.Value <= since).Select(v => v.Key).ToList()) visitors.Remove(key);
        foreach (var key in devices.Where(d => d.Value <= since).Select(d => d.Key).ToList()) devices.Remove(key);
    }

    private static void Later<TKey>(Dictionary<TKey, DateTimeOffset> map, TKey key, DateTimeOffset at) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var known) || known < at) map[key] = at;
    }

    // A missing user agent is its own value (the SQL rule compared null with null as equal).
    private static string DeviceKey(byte[] ipHash, string? userAgent) => Convert.ToHexString(ipHash) + (userAgent is null ? "\0" : "|" + userAgent);
}
