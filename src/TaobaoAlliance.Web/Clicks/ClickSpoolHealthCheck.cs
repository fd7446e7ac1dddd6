using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaobaoAlliance.Application.Clicks;

namespace TaobaoAlliance.Web.Clicks;

/// <summary>Degraded while clicks wait in the local spool for PostgreSQL.</summary>
public sealed class ClickSpoolHealthCheck(ClickSpool spool) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(spool.HasPending
            ? HealthCheckResult.Degraded($"Clicks are waiting in the spool ({spool.Directory}) for PostgreSQL.")
            : HealthCheckResult.Healthy());
}
