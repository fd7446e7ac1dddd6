using Npgsql;

namespace TaobaoAlliance.Bench;

/// <summary>Click rows by validity at one moment: the run compares two of these to prove no click was lost.</summary>
internal sealed record ClickCount(long Total, long Valid)
{
    public long Invalid => Total - Valid;
}

/// <summary>WAL flushes (fsync) so far and the time they took (pg_stat_wal; the time needs track_wal_io_timing).</summary>
internal sealed record WalCount(long Syncs, double SyncMs);

/// <summary>What summing the fullest seller wallet costs inside PostgreSQL (EXPLAIN ANALYZE): the serving query does it per candidate.</summary>
internal sealed record WalletSum(long Lines, double ExecutionMs);

/// <summary>CPC charges of one campaign and outcome.</summary>
internal sealed record ChargeCount(long CampaignId, string Outcome, long Count, long Fen);

/// <summary>The run's read-only look at the database: counts before and after each scenario, and the server's settings.</summary>
internal sealed class DatabaseProbe(string connectionString) : IAsyncDisposable
{
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

    /// <summary>Journal lines on seller wallets: what the serving query sums for every candidate campaign.</summary>
    public async Task<long> WalletLinesAsync()
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.kind = 'SellerWallet'");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<WalCount> WalAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT wal_sync, wal_sync_time FROM pg_stat_wal");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new WalCount(reader.GetInt64(0), reader.GetDouble(1));
    }

    /// <summary>
    /// The wallet with the most lines, summed the way the serving query and the ledger's balance check do;
    /// the median of 5 EXPLAIN ANALYZE execution times (server side: no round trip in it).
    /// </summary>
    public async Task<WalletSum> WalletSumAsync()
    {
        await using var pick = dataSource.CreateCommand(
            "SELECT l.account_id, count(*) FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id "
            + "WHERE a.kind = 'SellerWallet' GROUP BY 1 ORDER BY 2 DESC LIMIT 1");
        long account, lines;
        await using (var reader = await pick.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync()) return new WalletSum(0, 0);
            (account, lines) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await using var explain = dataSource.CreateCommand("EXPLAIN (ANALYZE, FORMAT TEXT) SELECT sum(amount_fen) FROM journal_lines WHERE account_id = $1");
            explain.Parameters.AddWithValue(account);
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var line = reader.GetString(0);
                const string Prefix = "Execution Time:";
                if (line.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    times.Add(double.Parse(line[Prefix.Length..].Replace("ms", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
        times.Sort();
        return new WalletSum(lines, times.Count == 0 ? 0 : times[times.Count / 2]);
    }

    public async Task<string> SettingAsync(string name)
    {
        await using var command = dataSource.CreateCommand("SELECT setting FROM pg_settings WHERE name = $1");
        command.Parameters.AddWithValue(name);
        return (await command.ExecuteScalarAsync()) as string ?? "?";
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
