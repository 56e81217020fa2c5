//! actix-web 4 with the assets under `/static`, and a maud page.
//!
//! ```text
//! cargo run -p adapter-examples --bin actix
//! ```

use actix_web::{App, HttpResponse, HttpServer, web};
use adapter_examples::ASSETS;

async fn index() -> HttpResponse {
    let page = maud::html! {
        (maud::DOCTYPE)
        (asset_runtime::maud::stylesheet("css/app.css").expect("the stylesheet is embedded"))
        h1 { "actix-web + maud" }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

fn server(listener: std::net::TcpListener) -> std::io::Result<actix_web::dev::Server> {
    let assets = ASSETS.service().mount("/static");
    Ok(HttpServer::new(move || {
        App::new()
            .route("/", web::get().to(index))
            // Or `.default_service(...)`: the app's routes first, then the assets.
            .service(assets.clone())
    })
    .listen(listener)?
    .run())
}

fn main() -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind(adapter_examples::addr())?;
    println!("listening on http://{}", listener.local_addr()?);
    actix_web::rt::System::new().block_on(server(listener)?)
}

#[cfg(test)]
#[test]
fn serves_the_page_and_the_assets() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            server(listener).unwrap().await.unwrap();
        })
    });
    adapter_examples::smoke_test(addr);
}
