using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Tests.Pages.Store;
using TaobaoAlliance.Web.Tests.Seeding;

namespace TaobaoAlliance.Web.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_match_the_model()
    {
        await using var database = await TestDatabase.CreateAsync(empty: true);
        await using var db = new AllianceDbContext(new DbContextOptionsBuilder<AllianceDbContext>().UseAlliance(database.ConnectionString).Options);

        (await db.Database.GetPendingMigrationsAsync()).Should().NotBeEmpty("the database starts empty");
        await db.Database.MigrateAsync();

        (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        db.Database.HasPendingModelChanges().Should().BeFalse("every model change needs a migration");
        var tables = await db.Database.SqlQueryRaw<string>(
            "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'").ToListAsync();
        tables.Should().Contain(["users", "webmasters", "sellers", "shops", "items", "categories", "sites", "site_reviews",
            "ad_zones", "links", "clicks", "orders", "order_lines", "commissions", "campaigns", "cpc_charges",
            "campaign_daily_spends", "ledger_accounts", "journal_entries", "journal_lines", "payout_requests",
            "subsidy_programmes", "audit_log", "platform_settings", "targeted_plans", "targeted_plan_members",
            "commission_rate_changes", "cart_lines"]);
        var extensions = await db.Database.SqlQueryRaw<string>("SELECT extname AS \"Value\" FROM pg_extension").ToListAsync();
        extensions.Should().Contain("pg_trgm");
    }
}

public sealed class LedgerGuardTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task A_journal_entry_that_does_not_balance_is_refused_at_commit()
    {
        var act = () => ExecuteAsync("""
            INSERT INTO ledger_accounts (kind) VALUES ('PlatformRevenue'), ('External');
            INSERT INTO journal_entries (occurred_at, kind, description, idempotency_key) VALUES (now(), 'test', 'unbalanced', 'k1');
            INSERT INTO journal_lines (entry_id, account_id, amount_fen)
                SELECT e.id, a.id, CASE a.kind WHEN 'PlatformRevenue' THEN -100 ELSE 99 END FROM journal_entries e, ledger_accounts a;
            """);

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("does not balance");
    }

    [Fact]
    public async Task A_balanced_journal_entry_is_kept_and_cannot_be_edited_afterwards()
    {
        await ExecuteAsync("""
            INSERT INTO ledger_accounts (kind) VALUES ('PlatformRevenue'), ('External');
            INSERT INTO journal_entries (occurred_at, kind, description, idempotency_key) VALUES (now(), 'test', 'balanced', 'k2');
            INSERT INTO journal_lines (entry_id, account_id, amount_fen)
                SELECT e.id, a.id, CASE a.kind WHEN 'PlatformRevenue' THEN -100 ELSE 100 END FROM journal_entries e, ledger_accounts a;
            """);

        var edit = () => ExecuteAsync("UPDATE journal_lines SET amount_fen = amount_fen * 2");
        (await edit.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("append-only");
        var delete = () => ExecuteAsync("DELETE FROM journal_entries");
        (await delete.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("append-only");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
