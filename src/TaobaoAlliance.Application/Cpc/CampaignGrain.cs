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

    /// <summary>Charges each click as <see cref="ChargeAsync"/> does, in order: the calls one node groups (CampaignCharges).</summary>
    [Alias("ChargeMany")]
    Task<CampaignChargeResult[]> ChargeManyAsync(PaidClick[] clicks);

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
/// Reentrant so that calls queue while a write is in flight: each write takes every click waiting (of one China day),
/// in arrival order, and commits them in one transaction — group commit. Two batches may be in flight at once, the
/// second deciding while the first commits: it decides on a guess (ChargeMode.Guessed: the budget and wallet as last
/// committed, less what the batch beside it decided), checked under the locks at the end of its transaction. A guess
/// that would refuse a click for money, or that the check refutes, is taken again exactly, alone (ChargeMode.Exact):
/// decisions still happen one after another, each seeing every earlier one, and never spend a fen that is not there.
/// </summary>
[Reentrant]
public sealed class CampaignGrain(IServiceScopeFactory scopes, ILogger<CampaignGrain> logger) : Grain, ICampaignGrain
{
    /// <summary>Two: one batch commits while the next decides and writes its rows; a third would only wait for their locks.</summary>
    private const int MaxBatchesInFlight = 2;

    private readonly List<(PaidClick Click, TaskCompletionSource<CampaignChargeResult> Answer)> waiting = [];
    private readonly List<ChargeFlight> flying = [];
    private int writers;

    /// <summary>Whether the next batch must read the locked truth: the first of an activation, and after a batch was refused for money.</summary>
    private bool exactNext = true;

    /// <summary>Who was charged recently; null until read from PostgreSQL (and again after a failed write, which may have left it ahead of the database).</summary>
    private RecentClickers? clickers;

    public Task<CampaignChargeResult> ChargeAsync(PaidClick click)
    {
        ArgumentNullException.ThrowIfNull(click);
        var answer = new TaskCompletionSource<CampaignChargeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.Add((click, answer));
        if (writers < MaxBatchesInFlight)
        {
            writers++;
            _ = WriteWhileWaitingAsync();
        }
        return answer.Task;
    }

    public Task<CampaignChargeResult[]> ChargeManyAsync(PaidClick[] clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        return Task.WhenAll(clicks.Select(ChargeAsync));
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
            writers--;
        }
    }

    private async Task WriteAsync(DateOnly day, List<(PaidClick Click, TaskCompletionSource<CampaignChargeResult> Answer)> batch)
    {
        var campaignId = this.GetPrimaryKeyLong();
        var clicks = batch.Select(b => b.Click).ToList();
        var mode = exactNext ? ChargeMode.Exact : ChargeMode.Guessed;
        IReadOnlyList<CampaignChargeResult>? results;
        // A guess that failed has landed, having written nothing: the batch is taken again as a new flight, so an exact
        // batch only ever waits for flights older than itself and two never wait for each other.
        do
        {
            var flight = new ChargeFlight(clicks.Select(c => c.ImpressionId).ToHashSet());
            // The truth is read alone: every flight beside it lands first (no guessed one starts while exactNext is set),
            // so nothing in flight is left out of it or counted twice.
            var beside = flying.Select(f => f.Landing).ToList();
            flying.Add(flight);
            try
            {
                if (mode == ChargeMode.Exact) await Task.WhenAll(beside);
                results = await DecideAndWriteAsync(campaignId, day, clicks, mode, flight);
            }
            finally
            {
                flying.Remove(flight);
                flight.Landed();
            }
            mode = ChargeMode.Exact;
        }
        while (results is { Count: 0 });
        for (var i = 0; i < batch.Count; i++) batch[i].Answer.TrySetResult(results?[i] ?? CampaignChargeResult.Unavailable);
    }

    /// <returns>The batch's results; empty when its guess failed (nothing written: take it again exactly); null when nothing of it is committed.</returns>
    private async Task<IReadOnlyList<CampaignChargeResult>?> DecideAndWriteAsync(long campaignId, DateOnly day, List<PaidClick> clicks,
        ChargeMode mode, ChargeFlight flight)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var writer = scope.ServiceProvider.GetRequiredService<CampaignChargeWriter>();
            clickers ??= await writer.RecentClickersAsync(campaignId, clicks.Min(c => c.OccurredAt));
            var results = await writer.WriteAsync(campaignId, day, clicks, clickers, mode, flight, flying);
            // A batch that ran out of budget or wallet says the next will too, most likely: it reads the truth.
            exactNext = results.Any(r => r.Status == CampaignChargeStatus.Decided && r.Outcome is CpcChargeOutcome.OverBudget or CpcChargeOutcome.WalletEmpty);
            return results;
        }
        catch (ChargeGuessFailedException e)
        {
            // Nothing of the batch is written: the clickers it taught memory were not charged after all. They were no
            // repeat clickers before it, and a batch beside it took them as repeats, so forgetting them forgets nothing true.
            if (e.Learned is { } learned) clickers?.Remove(learned);
            exactNext = true;
            return [];
        }
        catch (Exception e)
        {
            // Nothing of the batch is committed (or, if the commit's answer was lost, PostgreSQL alone knows): forget
            // what memory holds and read it again, and let the callers keep their clicks as not charged.
            clickers = null;
            exactNext = true;
            logger.LogWarning(e, "Charging {Count} clicks of campaign {CampaignId} failed: none acknowledged", clicks.Count, campaignId);
            return null;
        }
    }
}

/// <summary>
/// How a batch of paid clicks learns what it may spend. <see cref="Exact"/> locks the day's budget row and the accounts it
/// pays from and to before it decides, and reads the truth. <see cref="Guessed"/> reads both as last committed, less what
/// the batches beside it decided, and takes the locks only at the end of its transaction, where the budget row's check and
/// the ledger's guard test the guess (CampaignChargeWriter).
/// </summary>
public enum ChargeMode { Exact, Guessed }

/// <summary>A batch of the campaign between its decisions and its commit, as the batches deciding beside it see it.</summary>
public sealed class ChargeFlight(IReadOnlySet<Guid> impressions)
{
    private readonly TaskCompletionSource landing = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The impressions the batch pays for: a second click on one of them, beside it, is a replay.</summary>
    public IReadOnlySet<Guid> Impressions { get; } = impressions;

    /// <summary>What the batch decided to spend; zero until it decided.</summary>
    public Money Spent { get; set; }

    /// <summary>Completes once the batch is committed or given up.</summary>
    public Task Landing => landing.Task;

    public void Landed() => landing.TrySetResult();
}

/// <summary>A guessed batch was wrong, or would have refused a click for money: nothing of it is written; take it again exactly.</summary>
public sealed class ChargeGuessFailedException(RecentClickers? learned, Exception? inner = null)
    : Exception("A guessed batch of paid clicks must be decided again on the locked truth", inner)
{
    /// <summary>The charges the batch had taught the grain's RecentClickers before it failed, if it had.</summary>
    public RecentClickers? Learned { get; } = learned;
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

    /// <summary>Learns every charge of <paramref name="other"/>.</summary>
    public void Add(RecentClickers other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (visitor, at) in other.visitors) Later(visitors, visitor, at);
        foreach (var (device, at) in other.devices) Later(devices, device, at);
    }

    /// <summary>Forgets every clicker of <paramref name="other"/>.</summary>
    public void Remove(RecentClickers other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var visitor in other.visitors.Keys) visitors.Remove(visitor);
        foreach (var device in other.devices.Keys) devices.Remove(device);
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
