namespace TaobaoAlliance.Web.Sellers;

/// <summary>Services of the seller centre.</summary>
public static class SellersRegistration
{
    public static void AddSellerCentre(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<Catalog.ItemImporter>();
    }
}
