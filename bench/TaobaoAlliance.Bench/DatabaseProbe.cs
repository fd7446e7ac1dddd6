using System.Globalization;
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

/// <summary>
/// The run's look at the database: counts before and after each scenario, the server's settings, and the one thing it
/// writes, wallet history (<see cref="FillWalletsAsync"/>).
/// </summary>
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

    /// <summary>
    /// Gives the wallet of every seller with an active campaign at least <paramref name="lines"/> journal lines: entries of
    /// 1,000 lines each, +1 and −1 fen in turn, so each entry balances and no balance moves. The ledger's row triggers (the
    /// kept balance, the per-row balance check) are off for the load, then the kept balances are recomputed from the lines.
    /// </summary>
    /// <returns>The lines added.</returns>
    public async Task<long> FillWalletsAsync(long lines)
    {
        var sql = string.Create(CultureInfo.InvariantCulture, $"""
            BEGIN;
            ALTER TABLE journal_lines DISABLE TRIGGER USER;
            CREATE TEMP TABLE bench_wallets ON COMMIT DROP AS
                SELECT a.id, ({lines} - (SELECT count(*) FROM journal_lines l WHERE l.account_id = a.id) + 1) / 2 * 2 AS missing
                FROM ledger_accounts a
                WHERE a.kind = 'SellerWallet'
                  AND a.seller_id IN (SELECT s.seller_id FROM campaigns c JOIN shops s ON s.id = c.shop_id WHERE c.state = 'Active');
            CREATE TEMP TABLE bench_entries (id bigint, account_id bigint, chunk bigint) ON COMMIT DROP;
            WITH made AS (
                INSERT INTO journal_entries (occurred_at, kind, description, idempotency_key)
                SELECT now() - interval '1 day', 'bench.history', 'Bench: wallet history', format('bench-history:%s:%s:%s', w.id, {lines}, e)
                FROM bench_wallets w, generate_series(0, (w.missing - 1) / 1000) e
                WHERE w.missing > 0
                RETURNING id, idempotency_key)
            INSERT INTO bench_entries
            SELECT id, split_part(idempotency_key, ':', 2)::bigint, split_part(idempotency_key, ':', 4)::bigint FROM made;
            INSERT INTO journal_lines (entry_id, account_id, amount_fen)
            SELECT e.id, e.account_id, CASE WHEN n % 2 = 0 THEN 1 ELSE -1 END
            FROM bench_entries e JOIN bench_wallets w ON w.id = e.account_id,
                 generate_series(e.chunk * 1000, LEAST(w.missing, (e.chunk + 1) * 1000) - 1) n;
            ALTER TABLE journal_lines ENABLE TRIGGER USER;
            UPDATE ledger_accounts a SET balance_fen = (SELECT sum(amount_fen) FROM journal_lines l WHERE l.account_id = a.id)
            WHERE a.id IN (SELECT id FROM bench_wallets);
            SELECT coalesce(sum(greatest(missing, 0)), 0)::bigint FROM bench_wallets;
            COMMIT;
            ANALYZE journal_lines;
            """);
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        long added = 0;
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync()) added = reader.GetInt64(0);
        }
        while (await reader.NextResultAsync());
        return added;
    }

    /// <summary>
    /// Puts <paramref name="fen"/> more into the wallet of every seller with an active campaign, from the outside world, as
    /// one balanced entry through the ledger's own triggers: paid clicks under load must not stop at an empty wallet.
    /// </summary>
    public async Task TopUpWalletsAsync(long fen)
    {
        var sql = string.Create(CultureInfo.InvariantCulture, $"""
            WITH wallets AS (
                SELECT a.id FROM ledger_accounts a
                WHERE a.kind = 'SellerWallet'
                  AND a.seller_id IN (SELECT s.seller_id FROM campaigns c JOIN shops s ON s.id = c.shop_id WHERE c.state = 'Active')),
            entry AS (
                INSERT INTO journal_entries (occurred_at, kind, description, idempotency_key)
                VALUES (now(), 'bench.topup', 'Bench: wallet top-up', 'bench-topup:' || gen_random_uuid())
                RETURNING id)
            INSERT INTO journal_lines (entry_id, account_id, amount_fen)
            SELECT entry.id, wallets.id, {fen} FROM entry, wallets
            UNION ALL
            SELECT entry.id, (SELECT id FROM ledger_accounts WHERE kind = 'External'), -{fen} * (SELECT count(*) FROM wallets) FROM entry
            """);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops pooled connections: after a database restart they are all broken.</summary>
    public void ForgetConnections() => dataSource.Clear();

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
