namespace TaobaoAlliance.Web.Hosting;

/// <summary>
/// The Orleans silo co-hosted in the web process, where the campaign grains live. One node with localhost
/// clustering: nothing to install or start beside the app. Two hosts on one machine (tests) need their own ports.
/// </summary>
public static class OrleansHosting
{
    public static void AddAllianceOrleans(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Orleans' own defaults: what a single node uses unless told otherwise.
        var siloPort = builder.Configuration.GetValue("Orleans:SiloPort", 11111);
        var gatewayPort = builder.Configuration.GetValue("Orleans:GatewayPort", 30000);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, gatewayPort));
    }
}
