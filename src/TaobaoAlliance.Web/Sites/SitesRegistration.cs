namespace TaobaoAlliance.Web.Sites;

/// <summary>Registers the ownership check's fetcher with its limits.</summary>
public static class SitesRegistration
{
    public static void AddSites(this IServiceCollection services)
    {
        services.AddOptions<SiteFetchOptions>().BindConfiguration(SiteFetchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ISiteFetcher, SiteFetcher>();
    }
}
