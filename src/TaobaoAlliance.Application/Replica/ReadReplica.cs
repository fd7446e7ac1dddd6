using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Replica;

/// <summary>
/// The optional streaming replica that report and dashboard reads go to (<c>ConnectionStrings:AllianceReplica</c>), and
/// whether it answers now: probed every second, so reads fall back to the primary within a second of the replica going
/// away, and return to it within a second of it coming back. Unset: every read is the primary's, and nothing is probed.
/// </summary>
public sealed class ReadReplica : BackgroundService
{
    public const string ConnectionStringName = "AllianceReplica";

    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource? dataSource;
    private readonly DbContextOptions<AllianceDbContext>? options;
    private readonly ILogger<ReadReplica> logger;
    private volatile bool answering;

    public ReadReplica(IConfiguration configuration, ILogger<ReadReplica> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        this.logger = logger;
        if (configuration.GetConnectionString(ConnectionStringName) is not { Length: > 0 } connectionString) return;
        // A replica that does not answer must cost a report little: give up connecting after a second or two.
        var bounded = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 2 }.ConnectionString;
        dataSource = NpgsqlDataSource.Create(bounded);
        options = new DbContextOptionsBuilder<AllianceDbContext>().UseAlliance(bounded)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking) // reads only: a replica refuses writes anyway
            .Options;
    }

    /// <summary>True while the replica answers; until its first answer, reads go to the primary.</summary>
    public bool IsAnswering => answering;

    /// <summary>A context on the replica while it answers, else null (read from the primary).</summary>
    public AllianceDbContext? NewContextWhileAnswering() => answering && options is not null ? new AllianceDbContext(options) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (dataSource is null) return;
        using var timer = new PeriodicTimer(ProbeEvery);
        do
        {
            var answers = await AnswersAsync(stoppingToken);
            if (answers != answering) logger.LogWarning("The read replica {State}: report reads go to the {Target}", answers ? "answers" : "does not answer", answers ? "replica" : "primary");
            answering = answers;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<bool> AnswersAsync(CancellationToken ct)
    {
        try
        {
            await using var command = dataSource!.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        dataSource?.Dispose();
    }
}

/// <summary>
/// The DbContext of one request's report and dashboard reads: on the replica while it answers, else the request's
/// own (primary) context. Chosen once per request, so one page reads one database.
/// </summary>
public sealed class ReportReads(AllianceDbContext primary, ReadReplica replica) : IDisposable, IAsyncDisposable
{
    private AllianceDbContext? onReplica;
    private bool chosen;

    public AllianceDbContext Db
    {
        get
        {
            if (!chosen) (onReplica, chosen) = (replica.NewContextWhileAnswering(), true);
            return onReplica ?? primary;
        }
    }

    public void Dispose() => onReplica?.Dispose();

    public ValueTask DisposeAsync() => onReplica?.DisposeAsync() ?? ValueTask.CompletedTask;
}
