using Npgsql;

namespace TaobaoAlliance.Bench;

/// <summary>Click rows by validity at one moment: the run compares two of these to prove no click was lost.</summary>
internal sealed record ClickCount(long Total, long Valid)
{
    public long Invalid => Total - Valid;
}

/// <summary>WAL flushes (fsync) so far and the time they took (pg_stat_wal; the time needs track_wal_io_timing).</summary>
internal sealed record WalCount(long Syncs, double SyncMs);

/// <summary>CPC charges of one campaign and outcome.</summary>
internal sealed record ChargeCount(long CampaignId, string Outcome, long Count, long Fen)
{
    /// <summary>What was added between two counts, by campaign and outcome.</summary>
    public static IReadOnlyList<ChargeCount> Added(IReadOnlyList<ChargeCount> before, IReadOnlyList<ChargeCount> after) =>
        after.Select(a =>
            {
                var b = before.FirstOrDefault(x => x.CampaignId == a.CampaignId && x.Outcome == a.Outcome);
                return a with { Count = a.Count - (b?.Count ?? 0), Fen = a.Fen - (b?.Fen ?? 0) };
            })
            .Where(a => a.Count > 0)
            .ToList();
}

/// <summary>The run's read-only look at the database: counts before and after each scenario, and the server's settings.</summary>
internal sealed class DatabaseProbe(string connectionString) : IAsyncDisposable
{
    /// <summary>The server settings the report shows: durability first, since the click path waits for its flush.</summary>
    public static readonly string[] ReportedSettings =
        ["server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers", "max_connections", "track_wal_io_timing"];

    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);

    public async Task<ClickCount> ClicksAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT count(*), count(*) FILTER (WHERE is_valid) FROM clicks");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ClickCount(reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<IReadOnlyList<ChargeCount>> ChargesAsync()
    {
        await using var command = dataSource.CreateCommand(
            "SELECT campaign_id, outcome, count(*), coalesce(sum(price_fen), 0)::bigint FROM cpc_charges GROUP BY 1, 2 ORDER BY 1, 2");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ChargeCount>();
        while (await reader.ReadAsync()) rows.Add(new ChargeCount(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        return rows;
    }

    public async Task<WalCount> WalAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT wal_sync, wal_sync_time FROM pg_stat_wal");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new WalCount(reader.GetInt64(0), reader.GetDouble(1));
    }

    public async Task<string> SettingAsync(string name)
    {
        await using var command = dataSource.CreateCommand("SELECT setting FROM pg_settings WHERE name = $1");
        command.Parameters.AddWithValue(name);
        return (await command.ExecuteScalarAsync()) as string ?? "?";
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
