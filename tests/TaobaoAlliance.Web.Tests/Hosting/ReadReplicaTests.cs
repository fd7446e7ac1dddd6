using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaobaoAlliance.Application.Replica;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>
/// <c>ConnectionStrings:AllianceReplica</c>: report and dashboard reads go to the replica while it answers, and to the
/// primary when it does not. The "replica" that answers is a database of its own (migrated, without this test's data),
/// so a read that went to it is told from one that went to the primary.
/// </summary>
public sealed class ReadReplicaTests
{
    [Fact]
    public async Task With_the_replica_on_a_closed_port_the_report_and_the_dashboard_are_served_from_the_primary()
    {
        await WithAppAsync($"Host=127.0.0.1;Port={ClosedPort()};Username=alliance;Database=alliance", async app =>
        {
            var webmaster = await OneValidClickAsync(app);

            (await ValidClicksInReportAsync(app, webmaster)).Should().Be(1, "the primary holds the click");
            app.Services.GetRequiredService<ReadReplica>().IsAnswering.Should().BeFalse();
            using var admin = await AdminAsync(app);
            await admin.PageAsync("/Admin"); // 200, or it throws
        });
    }

    [Fact]
    public async Task While_the_replica_answers_the_report_and_the_dashboard_read_from_it()
    {
        await using var replica = await TestDatabase.CreateAsync();
        await WithAppAsync(replica.ConnectionString, async app =>
        {
            var webmaster = await OneValidClickAsync(app);
            var readReplica = app.Services.GetRequiredService<ReadReplica>();
            for (var i = 0; i < 400 && !readReplica.IsAnswering; i++) await Task.Delay(25);
            readReplica.IsAnswering.Should().BeTrue("the replica's database is up");

            await using (var scope = app.Services.CreateAsyncScope())
            {
                var reads = scope.ServiceProvider.GetRequiredService<ReportReads>();
                new NpgsqlConnectionStringBuilder(reads.Db.Database.GetConnectionString()).Database.Should().Be(replica.Name);
            }
            (await ValidClicksInReportAsync(app, webmaster)).Should().Be(0, "the report read the replica, which has not got the click");
            using var admin = await AdminAsync(app); // signing in is the primary's
            await admin.PageAsync("/Admin");
        });
    }

    /// <summary>An app of its own (and database) for the test, with this replica.</summary>
    private static async Task WithAppAsync(string replicaConnectionString, Func<AllianceApp, Task> test)
    {
        var app = new AllianceApp { Settings = new Dictionary<string, string?> { ["ConnectionStrings:AllianceReplica"] = replicaConnectionString } };
        try
        {
            await ((IAsyncLifetime)app).InitializeAsync();
            await test(app);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static async Task<TestWebmaster> OneValidClickAsync(AllianceApp app)
    {
        var world = new MoneyWorld(app);
        var webmaster = await world.NewWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync();
        await world.ClickAsync(webmaster, Guid.NewGuid(), item.Id, world.Now.AddMinutes(-5));
        return webmaster;
    }

    private static async Task<long> ValidClicksInReportAsync(AllianceApp app, TestWebmaster webmaster)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var today = ChinaTime.DayOf(app.Clock.GetUtcNow());
        var rows = await scope.ServiceProvider.GetRequiredService<WebmasterReport>().DailyAsync(webmaster.Id, ReportPeriod.Last(1, today));
        return rows.Sum(r => r.Metrics.ValidClicks);
    }

    /// <summary>A port nothing listens on: taken from the system, then let go.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
