using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaobaoAlliance.Application.Changes;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Drops the <see cref="ClickTargets"/> on every <see cref="ClickTargetTriggers.Channel"/> notification and on
/// every (re)connection. While deaf, what is kept still answers (a PostgreSQL restart cannot change it) but
/// nothing new is kept, and after <see cref="ClickTargets.MaxDeafTime"/> everything is dropped.
/// </summary>
public sealed class ClickTargetsListener(
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    ClickTargets targets,
    ILogger<ClickTargetsListener> logger) : ChangeListener(dataSource, logger)
{
    protected override string Channel => ClickTargetTriggers.Channel;

    protected override ValueTask ConnectedAsync(CancellationToken ct)
    {
        targets.Connected();
        return ValueTask.CompletedTask;
    }

    protected override ValueTask NotifiedAsync(string payload, CancellationToken ct)
    {
        targets.Heard(payload);
        return ValueTask.CompletedTask;
    }

    protected override void Deaf(TimeSpan deafFor)
    {
        targets.Disconnected();
        if (deafFor > ClickTargets.MaxDeafTime) targets.Invalidate();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        targets.Disconnected();
    }
}
