using Microsoft.Extensions.DependencyInjection.Extensions;
using TaobaoAlliance.Web.Sellers.Wallet;

namespace TaobaoAlliance.Web.Sellers;

/// <summary>Services of the seller centre.</summary>
public static class SellersRegistration
{
    public static void AddSellerCentre(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WalletOptions>().BindConfiguration(WalletOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MinDepositFen <= o.MaxDepositFen, "Wallet:MinDepositFen must not be above Wallet:MaxDepositFen.")
            .ValidateOnStart();
        // The simulated payment step; a real provider (or a test's gateway) replaces this registration.
        services.TryAddSingleton<IPaymentGateway, DevelopmentPaymentGateway>();
        services.AddScoped<WalletDeposits>();
        services.AddScoped<Catalog.ItemImporter>();
    }
}
