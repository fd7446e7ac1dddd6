using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaobaoAlliance.Application.Changes;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Data.Cpc;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// Drops the <see cref="AdCampaigns"/> book on every <see cref="AdCampaignTriggers.Channel"/> notification (any node's
/// change), on every (re)connection, when notifications may have been missed, and when deaf for long.
/// </summary>
public sealed class AdCampaignsListener(
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    AdCampaigns campaigns,
    ILogger<AdCampaignsListener> logger) : ChangeListener(dataSource, logger)
{
    protected override string Channel => AdCampaignTriggers.Channel;

    protected override ValueTask ConnectedAsync(CancellationToken ct)
    {
        campaigns.DropBook();
        return ValueTask.CompletedTask;
    }

    protected override ValueTask NotifiedAsync(string payload, CancellationToken ct)
    {
        campaigns.Heard(payload);
        return ValueTask.CompletedTask;
    }

    /// <summary>Changes may go unheard while deaf: past <see cref="ClickTargets.MaxDeafTime"/>, read the book again.</summary>
    protected override void Deaf(TimeSpan deafFor)
    {
        if (deafFor > ClickTargets.MaxDeafTime) campaigns.DropBook();
    }
}
