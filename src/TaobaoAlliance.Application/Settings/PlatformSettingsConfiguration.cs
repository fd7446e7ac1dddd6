using Microsoft.Extensions.Configuration;
using Npgsql;

namespace TaobaoAlliance.Application.Settings;

/// <summary>
/// Admins' overrides of configured defaults (the <c>platform_settings</c> table) as a configuration
/// source. Its keys are configuration paths (<c>Alliance:AttributionWindowDays</c>), so an override
/// reads exactly like appsettings, and it is added last so it wins over them. After a save the
/// settings page calls <see cref="Reload(IConfiguration)"/>: <c>IOptionsSnapshot</c> binds afresh on
/// every request, so the next request sees the new values without a restart.
/// </summary>
public static class PlatformSettingsConfiguration
{
    /// <summary>
    /// Program.cs: <c>builder.Configuration.AddPlatformSettings();</c> — reads the overrides with the
    /// <c>Alliance</c> connection string of the same configuration (looked up at each load, so a
    /// connection string set later, e.g. by a test host, is still found).
    /// </summary>
    public static IConfigurationManager AddPlatformSettings(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Add(new PlatformSettingsSource(() => configuration.GetConnectionString("Alliance")));
        return configuration;
    }

    /// <summary>Adds the overrides read with an explicit connection string (for hosts built another way).</summary>
    public static IConfigurationBuilder AddPlatformSettings(this IConfigurationBuilder builder, Func<string?> connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new PlatformSettingsSource(connectionString));
    }

    /// <summary>Reads the overrides again in every platform-settings provider of <paramref name="configuration"/>.</summary>
    /// <returns>How many providers were reloaded (0 when the source was never added).</returns>
    public static int Reload(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root) return 0;
        var providers = root.Providers.OfType<PlatformSettingsProvider>().ToList();
        foreach (var provider in providers) provider.Reload();
        return providers.Count;
    }

    /// <summary>
    /// The value <paramref name="key"/> has in the configuration without the admins' overrides (appsettings,
    /// environment, command line), or null when none of them sets it.
    /// </summary>
    public static string? ConfiguredDefault(IConfiguration configuration, string key)
    {
        if (configuration is not IConfigurationRoot root) return configuration[key];
        // Later providers win, so look from the last one back.
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider is PlatformSettingsProvider) continue;
            if (provider.TryGet(key, out var value)) return value;
        }
        return null;
    }
}

/// <summary>The source of <see cref="PlatformSettingsProvider"/>.</summary>
public sealed class PlatformSettingsSource(Func<string?> connectionString) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new PlatformSettingsProvider(connectionString);
}

/// <summary>
/// Loads every <c>platform_settings</c> row as a configuration key with Npgsql directly (it runs while
/// the configuration is being built, before there is a DbContext). A database that does not exist
/// yet, a table not yet migrated or no connection string at all simply mean "no overrides".
/// </summary>
public sealed class PlatformSettingsProvider(Func<string?> connectionString) : ConfigurationProvider
{
    public override void Load() => Data = Read();

    /// <summary>Reads the rows again and tells options monitors that the configuration changed.</summary>
    public void Reload()
    {
        Load();
        OnReload();
    }

    private Dictionary<string, string?> Read()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var connection = connectionString();
        if (string.IsNullOrWhiteSpace(connection)) return data;
        try
        {
            using var db = new NpgsqlConnection(connection);
            db.Open();
            using var command = new NpgsqlCommand("SELECT key, value FROM platform_settings", db);
            using var reader = command.ExecuteReader();
            while (reader.Read()) data[reader.GetString(0)] = reader.GetString(1);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName)
        {
            // Before the first migration (or before the database is created) there is nothing to override.
        }
        return data;
    }
}
