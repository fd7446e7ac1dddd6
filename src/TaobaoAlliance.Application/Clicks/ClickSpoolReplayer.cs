using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Moves spooled clicks into PostgreSQL once it answers again: every second, if the spool holds clicks,
/// it closes the file being appended to and inserts each closed file's clicks with
/// <c>ON CONFLICT (id, occurred_at) DO NOTHING</c> (the key of the partitioned table; a spooled click keeps both) — the click id is the key, so a file replayed twice (a crash between
/// the insert and the delete) still gives exactly one row per click. The file is deleted after its commit.
/// </summary>
public sealed class ClickSpoolReplayer(
    ClickSpool spool,
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    ClickMetrics metrics,
    ILogger<ClickSpoolReplayer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private const string Insert = """
        INSERT INTO clicks (id, occurred_at, link_id, webmaster_id, site_id, zone_id, item_id, shop_id, visitor_id, ip_hash,
                            user_agent, referrer, is_valid, invalid_reason, item_rate_bp, shop_rate_bp, campaign_id, sub1, sub2, sub3, sub4, sub5)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
        ON CONFLICT (id, occurred_at) DO NOTHING
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (spool.HasPending)
            {
                try
                {
                    spool.Rotate();
                    foreach (var file in spool.ClosedFiles()) await ReplayAsync(file, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // PostgreSQL still away (or a bad file): the clicks stay on disk; try again next time.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    logger.LogInformation("Spooled clicks not replayed yet: {Reason}", e.Message);
                }
            }
            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Replays one file in one transaction, then deletes it.</summary>
    public async Task ReplayAsync(string file, CancellationToken ct)
    {
        var clicks = (await File.ReadAllLinesAsync(file, ct)).Where(l => l.Length > 0).Select(ClickSpool.Parse).OfType<Click>().ToList();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = 0;
        foreach (var click in clicks)
        {
            await using var command = new NpgsqlCommand(Insert, connection, transaction);
            command.Parameters.Add(new() { Value = click.Id });
            command.Parameters.Add(new() { Value = click.OccurredAt.ToUniversalTime() });
            command.Parameters.Add(new() { Value = (object?)click.LinkId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            command.Parameters.Add(new() { Value = click.WebmasterId });
            command.Parameters.Add(new() { Value = click.SiteId });
            command.Parameters.Add(new() { Value = click.ZoneId });
            command.Parameters.Add(new() { Value = click.ItemId });
            command.Parameters.Add(new() { Value = click.ShopId });
            command.Parameters.Add(new() { Value = click.VisitorId });
            command.Parameters.Add(new() { Value = click.IpHash });
            command.Parameters.Add(new() { Value = (object?)click.UserAgent ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
            command.Parameters.Add(new() { Value = (object?)click.Referrer ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
            command.Parameters.Add(new() { Value = click.IsValid });
            command.Parameters.Add(new() { Value = (object?)click.InvalidReason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
            command.Parameters.Add(new() { Value = click.ItemRateBp });
            command.Parameters.Add(new() { Value = click.ShopRateBp });
            command.Parameters.Add(new() { Value = (object?)click.CampaignId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            foreach (var sub in (string?[])[click.Sub1, click.Sub2, click.Sub3, click.Sub4, click.Sub5])
            {
                command.Parameters.Add(new() { Value = (object?)sub ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
            }
            added += await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        File.Delete(file);
        metrics.Replayed(added);
        logger.LogWarning("Replayed {Added} spooled clicks from {File} ({AlreadyThere} were already in PostgreSQL)", added, file, clicks.Count - added);
    }
}
