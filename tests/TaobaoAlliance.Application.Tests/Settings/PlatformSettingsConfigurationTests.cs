using Microsoft.Extensions.Configuration;
using Npgsql;
using TaobaoAlliance.Application.Settings;
using TaobaoAlliance.Application.Audit;

namespace TaobaoAlliance.Application.Tests.Settings;

/// <summary>
/// The platform-settings configuration source as Program.cs registers it
/// (<c>builder.Configuration.AddPlatformSettings()</c>), on databases of the tests' own.
/// </summary>
public sealed class PlatformSettingsConfigurationTests
{
    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static ConfigurationManager Configuration(TestDatabase database)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Alliance"] = database.ConnectionString,
            ["Alliance:AttributionWindowDays"] = "15",
        });
        configuration.AddPlatformSettings();
        return configuration;
    }

    [Fact]
    public async Task Overrides_in_the_database_win_over_the_configured_defaults_and_reload_on_demand()
    {
        await using var database = await TestDatabase.CreateAsync();
        await ExecuteAsync(database, "INSERT INTO platform_settings (key, value, updated_at) VALUES ('Alliance:AttributionWindowDays', '3', now())");
        var configuration = Configuration(database);
        var changed = false;
        Microsoft.Extensions.Primitives.ChangeToken.OnChange(((IConfiguration)configuration).GetReloadToken, () => changed = true);

        configuration["Alliance:AttributionWindowDays"].Should().Be("3");
        PlatformSettingsConfiguration.ConfiguredDefault(configuration, "Alliance:AttributionWindowDays").Should().Be("15");

        await ExecuteAsync(database, "UPDATE platform_settings SET value = '7'");
        configuration["Alliance:AttributionWindowDays"].Should().Be("3", "nothing is read again until a reload");
        PlatformSettingsConfiguration.Reload(configuration).Should().Be(1);
        configuration["Alliance:AttributionWindowDays"].Should().Be("7");
        changed.Should().BeTrue("options monitors hear about the reload");

        await ExecuteAsync(database, "DELETE FROM platform_settings");
        PlatformSettingsConfiguration.Reload(configuration);
        configuration["Alliance:AttributionWindowDays"].Should().Be("15", "without an override the default is back");
    }

    [Fact]
    public async Task A_database_not_migrated_yet_means_no_overrides()
    {
        await using var database = await TestDatabase.CreateAsync(empty: true);

        var configuration = Configuration(database);

        configuration["Alliance:AttributionWindowDays"].Should().Be("15");
        PlatformSettingsConfiguration.Reload(configuration).Should().Be(1);
    }

    [Fact]
    public void Without_a_connection_string_there_are_no_overrides()
    {
        var configuration = new ConfigurationManager();
        configuration.AddPlatformSettings();

        configuration["Alliance:AttributionWindowDays"].Should().BeNull();
        PlatformSettingsConfiguration.Reload(new ConfigurationBuilder().Build()).Should().Be(0, "a configuration without the source has nothing to reload");
    }
}
