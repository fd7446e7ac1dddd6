using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Settings;

namespace TaobaoAlliance.Testing;

/// <summary>
/// Several nodes of the app on one database, as behind a load balancer: each its own host (own silo, caches, key
/// ring in memory, background services), with its own clock, all started together.
/// </summary>
public abstract class SeveralNodes(int count) : IAsyncLifetime
{
    private readonly List<AllianceApp> all = [];

    /// <summary>Every node, the first one first: it made the database and loaded the demo data.</summary>
    public IReadOnlyList<AllianceApp> All => all;

    public AllianceApp First => all[0];

    public AllianceApp Second => all[1];

    public async Task InitializeAsync()
    {
        var first = new AllianceApp();
        all.Add(first);
        await ((IAsyncLifetime)first).InitializeAsync();
        for (var i = 1; i < count; i++)
        {
            var next = new AllianceApp { SameDatabaseAs = first, Seed = false };
            all.Add(next);
            await ((IAsyncLifetime)next).InitializeAsync();
        }
    }

    /// <summary>Moves every node's clock.</summary>
    public void Advance(TimeSpan by)
    {
        foreach (var node in all) node.Clock.Advance(by);
    }

    public async Task DisposeAsync()
    {
        // The first node last: it drops the database.
        for (var i = all.Count - 1; i >= 0; i--) await ((IAsyncLifetime)all[i]).DisposeAsync();
    }
}

/// <summary>Two nodes on one database.</summary>
public sealed class TwoNodes() : SeveralNodes(2);

/// <summary>Three nodes on one database, as the cluster goals count them.</summary>
public sealed class ThreeNodes() : SeveralNodes(3)
{
    public AllianceApp Third => All[2];
}

/// <summary>Waiting for a node to have heard what the database notified.</summary>
public static class NodeNotifications
{
    /// <summary>
    /// Waits until <paramref name="app"/> has reloaded every platform setting committed before this call: it sends a
    /// NOTIFY of its own on the settings channel, delivered after theirs, and waits for the node to hear it.
    /// </summary>
    public static async Task SettingsCaughtUpAsync(this AllianceApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var listener = app.Services.GetRequiredService<PlatformSettingsListener>();
        // Until it listens nothing can be heard; it reloads everything when it starts to.
        for (var i = 0; i < 400 && !listener.IsListening; i++) await Task.Delay(25);
        listener.IsListening.Should().BeTrue("the node listens for settings changes");
        var barrier = "test-" + Guid.NewGuid().ToString("N");
        await using (var db = app.NewDb())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify('platform_settings', {barrier})");
        }
        for (var i = 0; i < 400 && listener.LastHeard != barrier; i++) await Task.Delay(25);
        listener.LastHeard.Should().Be(barrier, "the node hears the database's notifications");
    }
}
