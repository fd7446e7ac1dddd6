using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Reports;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// Writes the <see cref="ImpressionCounter"/>'s counts to campaigns.impressions every <see cref="CpcOptions.ImpressionFlushMilliseconds"/>
/// (a second) and once more when
/// the app stops, in one statement per flush. A failed write puts its counts back for the next flush, so a
/// clean stop with the database reachable loses nothing. The web server stops before hosted services do
/// (it is registered last), so no view is counted after the last flush.
/// </summary>
public sealed class ImpressionFlusher(ImpressionCounter counter, AdCampaigns campaigns, IServiceScopeFactory scopes, IOptions<CpcOptions> options,
    ILogger<ImpressionFlusher> logger)
    : BackgroundService
{
    // One flush at a time: a caller of FlushAsync (a test) returns only once every count taken before it is written,
    // including counts a flush already running has taken.
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Writes every pending count now. Throws when the write fails; the counts are then kept for the next flush.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await gate.WaitAsync(ct);
        try
        {
            var taken = counter.Take();
            var zoneDays = counter.TakeZoneDays();
            if (taken.Count == 0 && zoneDays.Count == 0) return;
            try
            {
                var ids = taken.Select(t => t.CampaignId).ToArray();
                var counts = taken.Select(t => t.Count).ToArray();
                var zoneCampaigns = zoneDays.Select(t => t.Key.CampaignId).ToArray();
                var zones = zoneDays.Select(t => t.Key.ZoneId).ToArray();
                var days = zoneDays.Select(t => t.Key.Day).ToArray();
                var zoneCounts = zoneDays.Select(t => t.Count).ToArray();
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AllianceDbContext>();
                // One statement: the campaigns' counters and the economics rollup (in key order, in this session's shard,
                // as the cpc_charges trigger writes it) move together or not at all.
                await db.Database.ExecuteSqlAsync($"""
                    WITH campaign_views AS (
                        UPDATE campaigns c SET impressions = c.impressions + v.n FROM unnest({ids}, {counts}) AS v(id, n) WHERE c.id = v.id)
                    INSERT INTO cpc_day_zones AS r (day, site_id, zone_id, campaign_id, shard, impressions, paid_clicks, bought_fen, sold_fen, margin_fen)
                    SELECT v.day, z.site_id, v.zone_id, v.campaign_id, (pg_backend_pid() % {RollupShards.Count})::smallint, sum(v.n), 0, 0, 0, 0
                    FROM unnest({zoneCampaigns}::bigint[], {zones}::bigint[], {days}::date[], {zoneCounts}::bigint[]) AS v(campaign_id, zone_id, day, n)
                    JOIN ad_zones z ON z.id = v.zone_id
                    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                    ON CONFLICT (day, site_id, zone_id, campaign_id, shard) DO UPDATE SET impressions = r.impressions + excluded.impressions
                    """, ct);
                // The written views now count from the campaign rows: the auction reads them again soon (for the few ms
                // until then a quality score misses them, which moves no price measurably).
                campaigns.StateAged();
            }
            catch
            {
                counter.Return(taken);
                counter.ReturnZoneDays(zoneDays);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ImpressionFlushMilliseconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await TryFlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Not the host's token alone: the last counts are worth the wait of one statement.
        await TryFlushAsync(CancellationToken.None);
    }

    public override void Dispose()
    {
        gate.Dispose();
        base.Dispose();
    }

    private async Task TryFlushAsync(CancellationToken ct)
    {
        try
        {
            await FlushAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever failed, the counts are back in the counter and the next flush retries.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Writing impressions failed; they are kept for the next flush");
        }
    }
}
