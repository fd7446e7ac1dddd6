using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaobaoAlliance.Application.Changes;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Data.Settings;

namespace TaobaoAlliance.Application.Settings;

/// <summary>
/// Reloads the admins' overrides on every <see cref="PlatformSettingsTriggers.Channel"/> notification and on every
/// (re)connection, so a setting saved on any node (or by plain SQL) is in force on this one within the
/// notification's delivery time, not at its next restart. While deaf, the values last read stay in force.
/// </summary>
public sealed class PlatformSettingsListener(
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    IConfiguration configuration,
    ILogger<PlatformSettingsListener> logger) : ChangeListener(dataSource, logger)
{
    private volatile bool listening;

    protected override string Channel => PlatformSettingsTriggers.Channel;

    /// <summary>True while notifications arrive, so the settings in force are the database's.</summary>
    public bool IsListening => listening;

    /// <summary>
    /// The payload of the last notification heard. Notifications arrive in commit order, so once a NOTIFY with a
    /// payload of one's own is heard, every setting committed before it is in force (tests wait on this).
    /// </summary>
    public string? LastHeard { get; private set; }

    protected override ValueTask ConnectedAsync(CancellationToken ct)
    {
        // Anything saved while this node was not listening was missed: read everything again.
        PlatformSettingsConfiguration.Reload(configuration);
        listening = true;
        return ValueTask.CompletedTask;
    }

    protected override ValueTask NotifiedAsync(string payload, CancellationToken ct)
    {
        if (PlatformSettingsTriggers.IsChange(payload)) PlatformSettingsConfiguration.Reload(configuration);
        LastHeard = payload;
        return ValueTask.CompletedTask;
    }

    protected override void Deaf(TimeSpan deafFor) => listening = false;
}
