using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Clicks;

namespace TaobaoAlliance.Web.Tests.Clicks;

public sealed class ClickWriterTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_hundred_concurrent_clicks_are_all_committed_with_distinct_ids_and_written_in_batches()
    {
        var link = await app.NewLinkAsync();
        var client = app.Shopper();
        using var batches = new BatchSizes(app);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetAsync($"/c/{link.Code}")));

        var ids = responses.Select(r => r.ClickId()).ToList();
        ids.Should().OnlyHaveUniqueItems();
        (await app.ClicksOnSiteAsync(link.SiteId)).Select(c => c.Id).Should().BeEquivalentTo(ids);
        batches.Sizes.Sum().Should().Be(100, "every click went through the writer");
        batches.FallbackWrites.Should().Be(0);
        batches.Sizes.Should().HaveCountLessThan(100, "concurrent clicks share commits").And.Contain(size => size > 1);
    }

    [Fact]
    public async Task The_redirect_is_not_sent_until_the_click_is_committed()
    {
        var link = await app.NewLinkAsync();
        await using var blocker = await LockClicksAsync();

        var pending = app.Shopper().GetAsync($"/c/{link.Code}");
        await WaitUntilAWriteIsBlockedAsync();
        await Task.Delay(200); // give a wrong implementation every chance to answer early

        pending.IsCompleted.Should().BeFalse("the click cannot be committed while the table is locked, so no redirect may be sent");
        await blocker.DisposeAsync();
        var response = await pending;
        (await app.ClickAsync(response.ClickId())).LinkId.Should().Be(link.LinkId);
    }

    [Fact]
    public async Task A_batch_that_fails_faults_its_waiters_and_the_writer_goes_on_with_the_next()
    {
        var writer = app.Services.GetRequiredService<ClickWriter>();
        var good = await NewClickAsync();
        var bad = await NewClickAsync();
        bad.ItemRateBp = 9_001; // over 90 %: the check constraint refuses the row

        var failed = () => writer.WriteAsync(bad);
        (await failed.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.CheckViolation);
        await writer.WriteAsync(good);

        await using var db = app.NewDb();
        (await db.Clicks.AnyAsync(c => c.Id == good.Id)).Should().BeTrue();
        (await db.Clicks.AnyAsync(c => c.Id == bad.Id)).Should().BeFalse();
    }

    [Fact]
    public async Task When_its_batch_fails_a_click_is_written_on_its_own_before_the_redirect()
    {
        var link = await app.NewLinkAsync();
        using var batches = new BatchSizes(app);
        // Refuses rows only from the writer's batch statement (arrays unnested): the batch fails, EF's single INSERT goes through.
        await ExecuteAsync("""
            CREATE FUNCTION refuse_copy() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_query() ILIKE '%FROM unnest(%' THEN RAISE EXCEPTION 'batch refused by the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_copy BEFORE INSERT ON clicks FOR EACH ROW EXECUTE FUNCTION refuse_copy();
            """);
        try
        {
            var response = await app.Shopper().GetAsync($"/c/{link.Code}");

            var click = await app.ClickAsync(response.ClickId());
            click.LinkId.Should().Be(link.LinkId);
            click.IsValid.Should().BeTrue();
            batches.Sizes.Should().BeEmpty("the batch did not commit");
            batches.FallbackWrites.Should().Be(1);
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER refuse_copy ON clicks; DROP FUNCTION refuse_copy();");
        }
    }

    [Fact]
    public async Task Stopping_the_writer_commits_every_click_still_queued_and_then_refuses_new_ones()
    {
        var dataSource = NpgsqlDataSource.Create(app.Database.ConnectionString);
        await using var _ = dataSource;
        using var writer = new ClickWriter(dataSource, app.Services.GetRequiredService<ClickMetrics>(), NullLogger<ClickWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var clicks = new List<Click>();
        for (var i = 0; i < 51; i++) clicks.Add(await NewClickAsync());
        await using var blocker = await LockClicksAsync();

        // The first click's batch waits on the lock, so the other fifty are still queued when the writer is told to stop.
        var first = writer.WriteAsync(clicks[0]);
        await WaitUntilAWriteIsBlockedAsync();
        var queued = clicks.Skip(1).Select(writer.WriteAsync).ToList();
        var stopping = writer.StopAsync(CancellationToken.None);
        await blocker.DisposeAsync(); // ends the transaction, releasing the lock
        await stopping;

        queued.Prepend(first).Should().OnlyContain(t => t.IsCompletedSuccessfully, "stopping drains the queue before the loop ends");
        await using var db = app.NewDb();
        var ids = clicks.Select(c => c.Id).ToList();
        (await db.Clicks.CountAsync(c => ids.Contains(c.Id))).Should().Be(51);
        var late = () => writer.WriteAsync(clicks[0]);
        await late.Should().ThrowAsync<InvalidOperationException>();
    }

    /// <summary>
    /// Holds SHARE on clicks until disposed: every write to clicks (INSERT takes ROW EXCLUSIVE)
    /// waits, while the reads of the click lookup go on.
    /// </summary>
    private async Task<ClicksLock> LockClicksAsync()
    {
        var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("BEGIN; LOCK TABLE clicks IN SHARE MODE", connection);
        await command.ExecuteNonQueryAsync();
        return new ClicksLock(connection);
    }

    private sealed class ClicksLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        private bool released;

        public async ValueTask DisposeAsync()
        {
            if (released) return;
            released = true;
            await using (var rollback = new NpgsqlCommand("ROLLBACK", connection)) await rollback.ExecuteNonQueryAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitUntilAWriteIsBlockedAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE relation = 'clicks'::regclass AND NOT granted", connection);
        while ((long)(await command.ExecuteScalarAsync())! == 0) await Task.Delay(10);
    }

    /// <summary>A valid click on the demo link, not yet written.</summary>
    private async Task<Click> NewClickAsync()
    {
        await using var db = app.NewDb();
        var link = await db.Links.AsNoTracking().Include(l => l.Item).SingleAsync(l => l.Code == "gF7kQ2xA");
        var now = app.Clock.GetUtcNow();
        return new Click
        {
            Id = Guid.CreateVersion7(now), OccurredAt = now, LinkId = link.Id, WebmasterId = link.WebmasterId, SiteId = link.SiteId,
            ZoneId = link.ZoneId, ItemId = link.ItemId, ShopId = link.Item.ShopId, VisitorId = Guid.NewGuid(), IpHash = [1, 2, 3],
            UserAgent = ClickTesting.Chrome, IsValid = true, ItemRateBp = 500, ShopRateBp = 300,
        };
    }

    /// <summary>Listens to the click writer's instruments of this app only (each test host has its own meter).</summary>
    private sealed class BatchSizes : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentQueue<int> sizes = new();
        private long fallbackWrites;

        public BatchSizes(AllianceApp app)
        {
            var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ClickMetrics.MeterName && instrument.Meter.Scope == meterFactory
                    && instrument.Name is "alliance.click_writer.batch_size" or "alliance.click_writer.fallback_writes")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<int>((_, size, _, _) => sizes.Enqueue(size));
            listener.SetMeasurementEventCallback<long>((_, count, _, _) => Interlocked.Add(ref fallbackWrites, count));
            listener.Start();
        }

        public IReadOnlyList<int> Sizes => [.. sizes];

        public long FallbackWrites => Interlocked.Read(ref fallbackWrites);

        public void Dispose() => listener.Dispose();
    }
}
