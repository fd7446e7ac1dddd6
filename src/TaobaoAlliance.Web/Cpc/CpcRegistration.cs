namespace TaobaoAlliance.Web.Cpc;

/// <summary>The smart-zone auction: ad serving at <c>/z/{zoneId}</c> and the paid click behind it.</summary>
public static class CpcRegistration
{
    public static void AddCpc(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }

    public static void MapCpcEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
    }
}
