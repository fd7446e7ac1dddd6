using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Mail;
using TaobaoAlliance.Web.Notifications;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using SmtpListener = SmtpServer.SmtpServer;

namespace TaobaoAlliance.Web.Tests.Notifications;

/// <summary>The app with <c>Smtp:Host</c> pointing at a port a real SMTP listener (SmtpServer) opens in the test.</summary>
public sealed class SmtpApp : AllianceApp
{
    public SmtpApp()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        SmtpPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Settings = new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:From"] = "TaobaoAlliance <noreply@alliance.test>",
        };
    }

    public int SmtpPort { get; }
}

/// <summary>Outbox rows delivered through MailKit to a real SMTP listener: sent once, marked sent only after acceptance, retried after a failure.</summary>
public sealed class SmtpDeliveryTests(SmtpApp app) : IClassFixture<SmtpApp>
{
    /// <summary>Keeps every message the listener accepted.</summary>
    private sealed class Inbox : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Listener : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task running;

        private Listener(int port, Inbox inbox)
        {
            var options = new SmtpServerOptionsBuilder().ServerName("localhost")
                .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build();
            var services = new global::SmtpServer.ComponentModel.ServiceProvider();
            services.Add((IMessageStore)inbox);
            running = new SmtpListener(options, services).StartAsync(stop.Token);
        }

        /// <summary>Starts listening and returns once the port takes connections.</summary>
        public static async Task<Listener> StartAsync(int port, Inbox inbox)
        {
            var listener = new Listener(port, inbox);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return listener;
                }
                catch (SocketException) when (attempt < 200)
                {
                    await Task.Delay(25);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
            stop.Dispose();
        }
    }

    private async Task<int> DeliverAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SmtpDelivery>().RunOnceAsync();
    }

    private const string ConfirmationPath = "/Account/ConfirmEmail";

    private async Task<TaobaoAlliance.Data.Mail.OutboxEmail> RowAsync(string to)
    {
        await using var db = app.NewDb();
        // Not the sign-up's confirmation link, which every new account gets first.
        return await db.OutboxEmails.AsNoTracking().SingleAsync(e => e.To == to && !e.HtmlBody.Contains(ConfirmationPath));
    }

    [Fact]
    public async Task A_notice_reaches_a_real_smtp_listener_in_the_recipients_language_once()
    {
        var inbox = new Inbox();
        await using var listener = await Listener.StartAsync(app.SmtpPort, inbox);
        using var webmaster = await app.NewWebmasterAsync(acceptLanguage: "zh-Hans");
        var siteId = await NewSiteAsync(app, webmaster.Webmaster, "我的小站");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<SiteReviews>().DecideAsync(
                new SiteDecisionRequest(siteId, SiteDecision.Reject, "内容太少", await AdminUserIdAsync(app)), CancellationToken.None)).Refusal.Should().BeNull();
            await scope.ServiceProvider.GetRequiredService<NotificationMailer>().RunOnceAsync();
        }
        var address = webmaster.Browser.Email!;
        (await RowAsync(address)).SentAt.Should().BeNull("in the outbox, not sent yet");

        await DeliverAsync();

        var message = inbox.Messages.Should().ContainSingle(m => m.To.Mailboxes.Any(b => b.Address == address) && !(m.HtmlBody ?? "").Contains(ConfirmationPath, StringComparison.Ordinal)).Subject;
        message.Subject.Should().Be("网站未通过审核");
        message.HtmlBody.Should().Contain("我的小站").And.Contain("内容太少");
        message.From.Mailboxes.Single().Address.Should().Be("noreply@alliance.test");
        var row = await RowAsync(address);
        row.SentAt.Should().NotBeNull("the server accepted it");
        row.Attempts.Should().Be(1);
        row.LastError.Should().BeNull();

        await DeliverAsync();
        inbox.Messages.Count(m => m.To.Mailboxes.Any(b => b.Address == address) && !(m.HtmlBody ?? "").Contains(ConfirmationPath, StringComparison.Ordinal))
            .Should().Be(1, "a sent row is not sent again");
    }

    [Fact]
    public async Task An_email_the_server_cannot_take_stays_unsent_with_its_error_and_goes_after_the_backoff()
    {
        var address = $"retry-{Guid.NewGuid():N}@example.test";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IEmailSender>().SendAsync(address, "Hello", "<p>Hi</p>");
        }

        await DeliverAsync(); // nothing listens on the port

        var failed = await RowAsync(address);
        failed.SentAt.Should().BeNull();
        failed.Attempts.Should().Be(1);
        failed.LastError.Should().NotBeNullOrEmpty();
        failed.NextAttemptAt.Should().Be(app.Clock.GetUtcNow().AddMinutes(1));

        var inbox = new Inbox();
        await using var listener = await Listener.StartAsync(app.SmtpPort, inbox);
        await DeliverAsync();
        inbox.Messages.Should().BeEmpty("the backoff is not over");

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await DeliverAsync();

        inbox.Messages.Should().ContainSingle(m => m.To.Mailboxes.Any(b => b.Address == address)).Which.Subject.Should().Be("Hello");
        var sent = await RowAsync(address);
        sent.SentAt.Should().NotBeNull();
        sent.Attempts.Should().Be(2);
    }
}
