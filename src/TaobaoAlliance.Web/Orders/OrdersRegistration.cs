using TaobaoAlliance.Web.Ledger;

namespace TaobaoAlliance.Web.Orders;

/// <summary>Registers order processing, the ledger writer and the order-life background service.</summary>
public static class OrdersRegistration
{
    public static void AddOrders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<LedgerAccountIds>();
        services.AddScoped<LedgerWriter>();
        services.AddScoped<OrderEventProcessor>();
        services.AddScoped<OrderLifecycle>();
        services.AddScoped<Payouts.PayoutService>();
        // Tests drive the order life themselves with a fake clock; everywhere else it runs every minute.
        if (configuration.GetValue("OrderLifecycle:Enabled", defaultValue: true))
        {
            services.AddHostedService<OrderLifecycleService>();
        }
    }
}
