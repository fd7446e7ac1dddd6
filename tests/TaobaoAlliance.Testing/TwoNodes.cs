using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Settings;

namespace TaobaoAlliance.Testing;

/// <summary>
/// Two nodes of the app on one database, as behind a load balancer: each its own host (own silo, caches, key
/// ring in memory, background services), with its own clock, both starting at the same time.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public AllianceApp First { get; } = new();

    public AllianceApp Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)First).InitializeAsync();
        Second = new AllianceApp { SameDatabaseAs = First, Seed = false };
        await ((IAsyncLifetime)Second).InitializeAsync();
    }

    /// <summary>Moves both nodes' clocks.</summary>
    public void Advance(TimeSpan by)
    {
        First.Clock.Advance(by);
        Second.Clock.Advance(by);
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)Second).DisposeAsync();
        await ((IAsyncLifetime)First).DisposeAsync();
    }
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
