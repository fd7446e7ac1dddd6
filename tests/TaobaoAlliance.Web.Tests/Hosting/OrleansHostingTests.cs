using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>Each web process hosts an Orleans silo: alone on localhost by default, on the ports its configuration gives.</summary>
public sealed class OrleansHostingTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task The_app_hosts_a_one_node_silo_on_its_configured_ports()
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        var silo = app.Services.GetRequiredService<ILocalSiloDetails>();

        silo.SiloAddress.Endpoint.Port.Should().Be(configuration.GetValue<int>("Orleans:SiloPort"));
        silo.GatewayAddress.Endpoint.Port.Should().Be(configuration.GetValue<int>("Orleans:GatewayPort"));
        silo.ClusterId.Should().Be("taobao-alliance");
        var hosts = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        hosts.Keys.Should().Equal(silo.SiloAddress);
    }

    [Theory]
    [InlineData("Orleans:Clustering", "Redis", "ConnectionStrings:Redis")]
    [InlineData("Orleans:AdvertisedIp", "not-an-ip", "Orleans:AdvertisedIp")]
    [InlineData("Orleans:SiloPort", "0", "SiloPort")]
    public async Task A_bad_Orleans_setting_stops_the_start_naming_it(string key, string value, string named)
    {
        var misconfigured = new AllianceApp { Seed = false, Settings = new Dictionary<string, string?> { [key] = value } };
        try
        {
            var start = () => ((IAsyncLifetime)misconfigured).InitializeAsync();

            (await start.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain(named);
        }
        finally
        {
            await ((IAsyncLifetime)misconfigured).DisposeAsync();
        }
    }
}
