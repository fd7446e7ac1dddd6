namespace TaobaoAlliance.Web.Orders;

/// <summary>Registers order processing and the order-life background service.</summary>
public static class OrdersRegistration
{
    public static void AddOrders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<OrderEventProcessor>();
        services.AddScoped<OrderLifecycle>();
        // Tests drive the order life themselves with a fake clock; everywhere else it runs every minute.
        if (configuration.GetValue("OrderLifecycle:Enabled", defaultValue: true))
        {
            services.AddHostedService<OrderLifecycleService>();
        }
    }
}
