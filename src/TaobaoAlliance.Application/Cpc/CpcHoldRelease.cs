using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>What one release run did; <paramref name="RunningElsewhere"/> when another node held the lock, so this one did nothing.</summary>
public sealed record CpcReleaseRun(int Charges, Money Released, int Entries, bool RunningElsewhere = false)
{
    public static readonly CpcReleaseRun Elsewhere = new(0, Money.Zero, 0, RunningElsewhere: true);
}

/// <summary>
/// Ends the CPC hold: paid clicks older than <see cref="AllianceOptions.CpcHoldDays"/> have their webmaster share moved
/// from CPC pending to available. Set-based, like the charge that posted them: a batch of held charges is claimed
/// (<c>FOR UPDATE SKIP LOCKED</c>, oldest first), marked <c>released_at</c> in one statement and released by ONE ledger
/// entry with a pair of lines per webmaster. A charge leaves the hold once: the claim only takes charges neither released
/// nor voided, the mark and the entry commit together, and the entry's idempotency key (the batch's first charge id)
/// is unique. Runs on one node at a time under a session advisory lock, as <see cref="Orders.OrderLifecycle"/> does.
/// </summary>
public sealed class CpcHoldRelease(AllianceDbContext db, LedgerWriter ledger, IOptionsSnapshot<AllianceOptions> options,
    TimeProvider clock, ILogger<CpcHoldRelease> logger)
{
    /// <summary>Charges per batch (one transaction, one ledger entry).</summary>
    public const int BatchSize = 5_000;

    /// <summary>The advisory lock a run holds: one run in the whole cluster at a time.</summary>
    public const string AdvisoryLockSql = "hashtext('cpc_hold_release')";

    private sealed record Claimed(long Id, long WebmasterId, long ShareFen);

    public async Task<CpcReleaseRun> RunOnceAsync(CancellationToken ct = default)
    {
        // The context keeps this one connection open for the whole run, so the session lock spans its transactions.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await ScalarAsync($"SELECT pg_try_advisory_lock({AdvisoryLockSql})", ct) is not true)
            {
                logger.LogDebug("CPC release skipped: another node is running it");
                return CpcReleaseRun.Elsewhere;
            }
            try
            {
                return await RunLockedAsync(ct);
            }
            finally
            {
                try
                {
                    await ScalarAsync($"SELECT pg_advisory_unlock({AdvisoryLockSql})", CancellationToken.None);
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
                {
                    // A broken connection took its session, and the lock, with it.
                    logger.LogDebug(e, "Could not release the CPC-release lock; its connection is gone");
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private async Task<CpcReleaseRun> RunLockedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var before = now - TimeSpan.FromDays(options.Value.CpcHoldDays);
        var (charges, released, entries) = (0, Money.Zero, 0);
        while (true)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Claimed and marked in one statement; the claim reads the partial index of held charges (ix_cpc_charges_charged_at_webmaster_id).
            var batch = await db.Database.SqlQuery<Claimed>($"""
                WITH claimed AS (
                    SELECT id FROM cpc_charges
                    WHERE outcome = 'Charged' AND released_at IS NULL AND voided_at IS NULL AND charged_at <= {before}
                    ORDER BY charged_at, id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                UPDATE cpc_charges ch SET released_at = {now}
                FROM claimed WHERE ch.id = claimed.id
                RETURNING ch.id, ch.webmaster_id, ch.webmaster_share_fen AS share_fen
                """).ToListAsync(ct);
            if (batch.Count == 0) break;
            var shares = batch.GroupBy(c => c.WebmasterId).OrderBy(g => g.Key)
                .Select(g => (g.Key, new Money(g.Sum(c => c.ShareFen)))).ToList();
            var draft = Postings.CpcReleased(batch.Min(c => c.Id).ToString(System.Globalization.CultureInfo.InvariantCulture), shares);
            // Nothing is guarded: CPC pending holds at least every held share (voids take only what they marked).
            if (draft.Lines.Count > 0)
            {
                await ledger.PostManyAsync([draft], [], ct);
                entries++;
            }
            await transaction.CommitAsync(ct);
            charges += batch.Count;
            released += new Money(batch.Sum(c => c.ShareFen));
            if (batch.Count < BatchSize) break;
        }
        if (charges > 0)
        {
            logger.LogInformation("CPC release: {Charges} paid clicks left the hold, {Released} became available in {Entries} entries",
                charges, released, entries);
        }
        return new(charges, released, entries);
    }
}

/// <summary>Runs the CPC release every minute in the background (off with the order life, <c>OrderLifecycle:Enabled</c> false, or <c>CpcRelease:Enabled</c> false).</summary>
public sealed class CpcHoldReleaseService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CpcHoldReleaseService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CpcHoldRelease>().RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The CPC release run failed; it will run again in a minute");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
