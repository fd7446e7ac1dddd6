using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TaobaoAlliance.Application.Clicks;

namespace TaobaoAlliance.Web.Hosting;

/// <summary>How the silos of the web processes find each other.</summary>
public enum OrleansClustering
{
    /// <summary>One node on its own (./build.sh run, tests): nothing to install.</summary>
    Localhost,

    /// <summary>Several nodes, whose membership table is in Redis (<c>ConnectionStrings:Redis</c>).</summary>
    Redis,
}

/// <summary>The silo each web process hosts (section <c>Orleans</c>).</summary>
public sealed class OrleansOptions
{
    public const string Section = "Orleans";

    /// <summary>Every node of one deployment is in one cluster of one service.</summary>
    public const string ClusterId = "taobao-alliance";

    public const string ServiceId = "taobao-alliance";

    public OrleansClustering Clustering { get; set; } = OrleansClustering.Localhost;

    /// <summary>Where silos talk to each other (Orleans' default port).</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Where Orleans clients outside the process would connect (Orleans' default port).</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address the other silos reach this one at (cluster mode); loopback when unset, for nodes on one machine.</summary>
    public string? AdvertisedIp { get; set; }

    /// <summary>What is wrong with these options for <paramref name="redisConnectionString"/> (empty when nothing is).</summary>
    public IReadOnlyList<string> Problems(string? redisConnectionString)
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), problems, validateAllProperties: true);
        var messages = problems.Select(p => $"{Section}: {p.ErrorMessage}").ToList();
        if (SiloPort == GatewayPort) messages.Add($"{Section}:SiloPort and {Section}:GatewayPort must differ.");
        if (AdvertisedIp is not null && !IPAddress.TryParse(AdvertisedIp, out _)) messages.Add($"{Section}:AdvertisedIp is not an IP address.");
        if (Clustering == OrleansClustering.Redis && string.IsNullOrWhiteSpace(redisConnectionString))
        {
            messages.Add($"{Section}:Clustering is Redis but ConnectionStrings:Redis is not set.");
        }
        return messages;
    }

    public IPAddress Advertised => AdvertisedIp is null ? IPAddress.Loopback : IPAddress.Parse(AdvertisedIp);
}

/// <summary>
/// Co-hosts an Orleans silo in the web process: alone with localhost clustering by default, or as one node of a
/// cluster whose membership is in Redis (<c>Orleans:Clustering=Redis</c>). PostgreSQL stays the only source of
/// truth for money; Redis only says which silos are alive.
/// </summary>
public static class OrleansHosting
{
    public static void AddAllianceOrleans(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Read now, not later: the silo's endpoints and clustering are fixed while the host is built.
        var options = builder.Configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (options.Problems(redis) is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(OrleansOptions.Section, typeof(OrleansOptions), problems);
        }
        builder.Services.AddOptions<OrleansOptions>().BindConfiguration(OrleansOptions.Section);
        // One node counts a shopper's clicks in its memory, for free; several must share the count, at a grain call a click.
        if (options.Clustering == OrleansClustering.Redis) builder.Services.AddClusterWideClickLimit();

        // Through the service collection, not builder.UseOrleans: that one also reads the "Orleans" section as Orleans'
        // own provider settings (Orleans:Clustering:ProviderType), where our Orleans:Clustering=Redis means something else.
        builder.Services.AddOrleans(silo =>
        {
            if (options.Clustering == OrleansClustering.Localhost)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: OrleansOptions.ServiceId,
                    clusterId: OrleansOptions.ClusterId);
                return;
            }
            silo.UseRedisClustering(redis!); // validated above: required with Redis clustering
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = OrleansOptions.ClusterId;
                cluster.ServiceId = OrleansOptions.ServiceId;
            });
            silo.ConfigureEndpoints(options.Advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
            // Orleans' defaults take about a minute to declare a killed silo dead, and with two or three nodes its
            // grains are unreachable until then: probe often and let one vote decide, for a small cluster.
            silo.Configure<ClusterMembershipOptions>(membership =>
            {
                membership.ProbeTimeout = TimeSpan.FromSeconds(2);
                membership.NumMissedProbesLimit = 2;
                membership.NumVotesForDeathDeclaration = 1;
            });
        });
    }
}
