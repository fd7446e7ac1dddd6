using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using TaobaoAlliance.Application.Sites;

namespace TaobaoAlliance.Application.Hooks;

/// <summary>Registers the postback/webhook outbox, its settings pages' use case and the sender.</summary>
public static class HookRegistration
{
    public static IServiceCollection AddAllianceHooks(this IServiceCollection services)
    {
        services.AddOptions<HookOptions>().BindConfiguration(HookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<HookOutbox>();
        services.AddScoped<HookSettings>();
        services.AddHttpClient(HookDelivery.ClientName)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<HookOptions>>().Value.TimeoutSeconds);
                return HookDelivery.Handler(provider.GetRequiredService<IOptions<SiteFetchOptions>>().Value.AllowPrivateAddresses, timeout);
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeout below is the one
            // No in-memory retries: a retry lost in a restart is a retry lost; the schedule is in hook_messages.
            .AddResilienceHandler("hooks", (pipeline, context) =>
                pipeline.AddTimeout(TimeSpan.FromSeconds(context.ServiceProvider.GetRequiredService<IOptions<HookOptions>>().Value.TimeoutSeconds)));
        services.AddSingleton<HookDelivery>();
        services.AddHostedService(provider => provider.GetRequiredService<HookDelivery>());
        return services;
    }
}
